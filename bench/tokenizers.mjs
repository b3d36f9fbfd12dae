// bench/tokenizers.py's JavaScript side: encodes every text (JSON-string
// lines on stdin) ROUNDS times on one thread with @lenml/tokenizers or
// tiktoken (WASM) and prints "bytes tokens seconds", load time excluded.
//   node bench/tokenizers.mjs lenml DIR ROUNDS | tiktoken NAME ROUNDS
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../tests/tokenizers/", import.meta.url));
const [kind, arg, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
let encode;
if (kind === "lenml") {
  const { TokenizerLoader } = require("@lenml/tokenizers");
  const tok = TokenizerLoader.fromPreTrained({
    tokenizerJSON: JSON.parse(fs.readFileSync(`${arg}/tokenizer.json`, "utf8")),
    tokenizerConfig: JSON.parse(fs.readFileSync(`${arg}/tokenizer_config.json`, "utf8")),
  });
  encode = (t) => tok.encode(t, { add_special_tokens: false }).length;
} else {
  const { get_encoding } = require("tiktoken");
  const enc = get_encoding(arg);
  encode = (t) => enc.encode(t, "all").length;
}
const texts = fs.readFileSync(0, "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l));
const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t, "utf8"), 0);
let tokens = 0;
const t0 = process.hrtime.bigint();
for (let r = 0; r < rounds; ++r) for (const t of texts) tokens += encode(t);
const sec = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${bytes * rounds} ${tokens} ${sec}`);
