// The independent side of the tokenizer differential test: token ids of
// JSON-string lines (stdin) by @lenml/tokenizers (a fork of transformers.js)
// from a tokenizer.json and its tokenizer_config.json, or by tiktoken (the
// WASM build of OpenAI's tokenizer) for one of its encodings.
//   node reference.mjs lenml DIR      < texts.jsonl > ids.jsonl
//   node reference.mjs tiktoken NAME  < texts.jsonl > ids.jsonl
// Special-token text is encoded as the special token in both (Hugging Face
// does so; tiktoken's allowed_special = "all").
import fs from "node:fs";
import readline from "node:readline";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [kind, arg] = process.argv.slice(2);
let encode;
if (kind === "lenml") {
  const { TokenizerLoader } = require("@lenml/tokenizers");
  const tok = TokenizerLoader.fromPreTrained({
    tokenizerJSON: JSON.parse(fs.readFileSync(`${arg}/tokenizer.json`, "utf8")),
    tokenizerConfig: JSON.parse(fs.readFileSync(`${arg}/tokenizer_config.json`, "utf8")),
  });
  encode = (t) => tok.encode(t, { add_special_tokens: false });
} else if (kind === "tiktoken") {
  const { get_encoding } = require("tiktoken");
  const enc = get_encoding(arg);
  encode = (t) => Array.from(enc.encode(t, "all"));
} else {
  console.error("usage: node reference.mjs lenml DIR | tiktoken NAME");
  process.exit(2);
}
const out = [];
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) out.push(JSON.stringify(encode(JSON.parse(line))));
fs.writeSync(1, out.join("\n") + (out.length ? "\n" : ""));
