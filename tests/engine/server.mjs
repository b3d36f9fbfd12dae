// The test engine server: a real llama.cpp (node-llama-cpp 3.21.1, CPU
// prebuilt) behind node:http on loopback, answering the OpenAI request and
// response shapes rsq's model client speaks — /v1/models, /v1/embeddings,
// /v1/completions with prompt log-probabilities (vLLM's echo + logprobs +
// max_tokens 0 shape: a null first entry), /v1/chat/completions with a JSON
// schema turned into a llama.cpp grammar — plus two test-only routes: GET
// /stats (request counters, the proof that a cached rerun sends nothing) and
// POST /admin/faults (inject 429 + Retry-After, 500, slow answers,
// connection resets, garbage JSON, wrong-dimension/NaN/zero vectors, 413).
// It is not a mock: every number comes from the model.
//   node server.mjs --model models/stories260K.gguf --port 0 --port-file F
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { getLlama, LlamaCompletion } from "node-llama-cpp";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const modelPath = args.model || path.join(path.dirname(new URL(import.meta.url).pathname), "models/stories260K.gguf");
const modelId = args["model-id"] || "stories260K";
const ctxSize = Number(args.ctx || 512);
// One thread: on a busy 2-core machine llama.cpp's default (all cores) spins
// against the other load and a decode step takes ~0.5 s instead of ~1 ms.

const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const model = await llama.loadModel({ modelPath });
const embedCtx = await model.createEmbeddingContext({ contextSize: ctxSize, batchSize: ctxSize, threads: 1 });
const evalCtx = await model.createContext({ contextSize: 2048, sequences: 1, threads: 1 });
const evalSeq = evalCtx.getSequence();
const chatCtx = await model.createContext({ contextSize: 1024, sequences: 1, threads: 1 });
const chatSeq = chatCtx.getSequence();

const stats = { requests: 0, embeddings: 0, completions: 0, chat: 0, models: 0, inputs: 0, faults_served: 0, busy_ms: 0 };
// One fault plan at a time: {kind, count, after, route, retry_after, delay_ms, message}.
let fault = null;
const grammars = new Map();  // schema text -> grammar (building one is slow)

// The engine is single-threaded: serialise model work, keep HTTP concurrent.
let chain = Promise.resolve();
const serial = (fn) => {
  const timed = async () => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      stats.busy_ms += performance.now() - t0;  // model time, for bench/models.py
    }
  };
  const p = chain.then(timed, timed);
  chain = p.catch(() => {});
  return p;
};

function send(res, status, obj, headers = {}) {
  const body = typeof obj === "string" ? obj : JSON.stringify(obj);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}
const oaiError = (message, type = "invalid_request_error") => ({ error: { message, type } });

function takeFault(route) {
  if (!fault || fault.count <= 0) return null;
  if (fault.route && fault.route !== route) return null;
  if ((fault.after ?? 0) > 0) {  // let this many requests through first (e.g. rsq's endpoint check)
    fault.after -= 1;
    return null;
  }
  fault.count -= 1;
  stats.faults_served += 1;
  return fault;
}

async function embeddings(body) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  if (inputs.length === 0 || inputs.some((s) => typeof s !== "string"))
    return [400, oaiError("'input' must be a string or an array of strings")];
  const data = [];
  let tokens = 0;
  for (let i = 0; i < inputs.length; ++i) {
    const toks = model.tokenize(inputs[i]);
    if (toks.length + 2 > ctxSize)
      return [413, oaiError(`input (${toks.length} tokens) is too large to process. increase the physical batch size`)];
    tokens += toks.length;
    const e = await serial(() => embedCtx.getEmbeddingFor(inputs[i]));
    data.push({ object: "embedding", index: i, embedding: Array.from(e.vector) });
  }
  stats.inputs += inputs.length;
  return [200, { object: "list", model: modelId, data, usage: { prompt_tokens: tokens, total_tokens: tokens } }];
}

async function promptLogprobs(text) {
  const toks = [model.tokens.bos, ...model.tokenize(text)];
  if (toks.length > 2048) throw Object.assign(new Error(`prompt (${toks.length} tokens) exceeds the context of 2048`), { status: 400 });
  return serial(async () => {
    await evalSeq.clearHistory();
    const out = await evalSeq.controlledEvaluate(toks.map((t, i) => (i + 1 < toks.length ? [t, { generateNext: { probabilities: true } }] : t)));
    const lps = [null];
    for (let i = 0; i + 1 < toks.length; ++i) {
      const p = out[i]?.next?.probabilities?.get(toks[i + 1]) ?? 0;
      lps.push(p > 0 ? Math.log(p) : -1e4);
    }
    return { tokens: toks.map((t) => model.detokenize([t])), token_logprobs: lps };
  });
}

async function completions(body) {
  if (body.echo !== true || (body.max_tokens ?? 16) !== 0)
    return [400, oaiError("this test engine only scores prompts: send echo: true and max_tokens: 0")];
  const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
  const choices = [];
  let tokens = 0;
  for (let i = 0; i < prompts.length; ++i) {
    const lp = await promptLogprobs(String(prompts[i]));
    tokens += lp.tokens.length;
    choices.push({ index: i, text: String(prompts[i]), finish_reason: "length",
                   logprobs: { tokens: lp.tokens, token_logprobs: lp.token_logprobs, top_logprobs: null, text_offset: null } });
  }
  stats.inputs += prompts.length;
  return [200, { object: "text_completion", model: modelId, choices, usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens } }];
}

async function chat(body) {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return [400, oaiError("'messages' must be a non-empty array")];
  const prompt = body.messages.map((m) => `${m.role}: ${m.content}`).join("\n") + "\nassistant: ";
  const schema = body.response_format?.json_schema?.schema;
  const text = await serial(async () => {
    const key = schema ? JSON.stringify(schema) : "";
    if (schema && !grammars.has(key)) grammars.set(key, await llama.createGrammarForJsonSchema(schema));
    const grammar = schema ? grammars.get(key) : undefined;
    await chatSeq.clearHistory();
    const completion = new LlamaCompletion({ contextSequence: chatSeq });
    const tokens = model.tokenize(prompt);
    const tail = model.detokenize(tokens.slice(-600));  // the story model's context is small: keep the end
    return completion.generateCompletion(tail, { grammar, temperature: 0, seed: body.seed ?? 0, maxTokens: body.max_tokens ?? 64 });
  });
  return [200, { object: "chat.completion", model: modelId,
                 choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: text } }],
                 usage: { prompt_tokens: model.tokenize(prompt).length, completion_tokens: model.tokenize(text).length } }];
}

function corrupt(kind, result) {
  const [status, obj] = result;
  if (status !== 200 || !obj.data) return result;
  for (const d of obj.data) {
    if (kind === "wrong_dim") d.embedding = d.embedding.slice(0, 7);
    if (kind === "nan") d.embedding[0] = "NaN";
    if (kind === "zero") d.embedding = d.embedding.map(() => 0);
  }
  return result;
}

const server = http.createServer((req, res) => {
  let chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    const url = req.url.split("?")[0];
    try {
      if (url === "/stats") return send(res, 200, stats);
      if (url === "/admin/faults") {
        fault = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : null;
        if (fault && fault.count === undefined) fault.count = 1;
        return send(res, 200, { ok: true, fault });
      }
      if (url === "/admin/reset") {
        for (const k of Object.keys(stats)) stats[k] = 0;
        fault = null;
        return send(res, 200, { ok: true });
      }
      stats.requests += 1;
      if (url === "/v1/models") {
        stats.models += 1;
        return send(res, 200, { object: "list", data: [{ id: modelId, object: "model", owned_by: "rsq-test-engine",
                                                          meta: { n_ctx: ctxSize, n_embd: model.embeddingVectorSize } }] });
      }
      const route = url === "/v1/embeddings" ? "embeddings" : url === "/v1/completions" ? "completions" : url === "/v1/chat/completions" ? "chat" : null;
      if (!route) return send(res, 404, oaiError(`no route ${url}`, "not_found"));
      stats[route] += 1;
      const f = takeFault(route);
      if (f) {
        if (f.kind === "429") return send(res, 429, oaiError("rate limited (injected)", "rate_limit"), { "retry-after": String(f.retry_after ?? 1) });
        if (f.kind === "500") return send(res, 500, oaiError("internal error (injected)", "server_error"));
        if (f.kind === "400") return send(res, 400, oaiError(f.message ?? "bad request (injected)"));
        if (f.kind === "413") return send(res, 413, oaiError("input is too large to process (injected)"));
        if (f.kind === "reset") return req.socket.destroy();
        if (f.kind === "garbage") return send(res, 200, '{"object": "list", "data": [{"embedd');
        if (f.kind === "slow") await new Promise((r) => setTimeout(r, f.delay_ms ?? 2000));
      }
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString() || "{}");
      } catch {
        return send(res, 400, oaiError("request body is not JSON"));
      }
      let result = route === "embeddings" ? await embeddings(body) : route === "completions" ? await completions(body) : await chat(body);
      if (f && route === "embeddings") result = corrupt(f.kind, result);
      return send(res, result[0], result[1]);
    } catch (e) {
      return send(res, e.status ?? 500, oaiError(String(e.message ?? e), "server_error"));
    }
  });
});

server.listen(Number(args.port || 0), "127.0.0.1", () => {
  const port = server.address().port;
  if (args["port-file"]) fs.writeFileSync(args["port-file"], String(port));
  process.stderr.write(`engine: ${modelId} on http://127.0.0.1:${port}/v1\n`);
});
for (const s of ["SIGTERM", "SIGINT"]) process.on(s, () => process.exit(0));
