// The HTML report in a real browser (issue 12): Debian's chromium, driven by
// playwright-core, opens the report of the shipped samples from file:// and
// checks that every dataset and metric is on the page, that every number
// shown equals the JSON report's, that no chart has a NaN or negative
// coordinate, that the page logs no error and sends no request, and that a
// 20-dataset x all-metrics report stays under 2 MB. Two deliberately broken
// copies (a NaN bar width, a missing dataset line) must fail the same checks,
// so the test can fail. It takes a screenshot (docs/report-sample.png with
// --update-screenshot). Exit 77 (skipped) without chromium or the npm package.
//   node tests/browser/check_html.mjs --rsq build/src/rsq --root . [--out DIR] [--update-screenshot]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const rsq = path.resolve(opt("--rsq", "build/src/rsq"));
const root = path.resolve(opt("--root", "."));
const out = opt("--out", fs.mkdtempSync(path.join(os.tmpdir(), "rsq-html-")));
const updateShot = args.includes("--update-screenshot");
const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));

function skip(why) {
  console.log("SKIPPED: " + why);
  process.exit(77);
}
if (!chromiumPath) skip("no chromium (apt-get install chromium; bash scripts/bootstrap.sh test installs it)");
let playwright;
try {
  playwright = await import(path.join(here, "node_modules", "playwright-core", "index.mjs"));
} catch (e) {
  skip("playwright-core is not installed in tests/browser (cd tests/browser && npm ci --ignore-scripts)");
}

let failures = 0;
const fail = (msg) => {
  failures++;
  console.log("FAIL " + msg);
};

function run(argv) {
  return execFileSync(rsq, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
}

const samples = ["data/samples/gsm8k-test-excerpt.jsonl", "data/samples/mixed-layouts.jsonl",
                 "data/samples/skythought-math500-excerpt.jsonl"];
fs.mkdirSync(out, { recursive: true });
const htmlPath = path.join(out, "report.html"), jsonPath = path.join(out, "report.json");
run(["score", ...samples, "--scale", "8b", "--format", "html", "-q", "-o", htmlPath]);
run(["score", ...samples, "--scale", "8b", "--format", "json", "-q", "-o", jsonPath]);
const report = JSON.parse(fs.readFileSync(jsonPath, "utf8"));

// What the page must hold, read from the DOM inside the browser.
async function inspect(page, file) {
  const errors = [], requests = [];
  page.removeAllListeners("console");
  page.removeAllListeners("pageerror");
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") errors.push(m.type() + ": " + m.text()); });
  page.on("pageerror", (e) => errors.push("pageerror: " + e.message));
  await page.unroute("**/*").catch(() => {});
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (u === pathToFileURL(file).href) return route.continue();
    requests.push(u);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  const navMs = await page.evaluate(() => Math.round(performance.getEntriesByType("navigation")[0].duration));
  const dom = await page.evaluate(() => {
    const cells = [];
    document.querySelectorAll("[data-stat][data-value]").forEach((e) => {
      cells.push({ dataset: e.dataset.dataset || e.closest("tr")?.dataset.dataset || "", metric: e.dataset.metric || "",
                   stat: e.dataset.stat, value: e.dataset.value, text: e.textContent.trim() });
    });
    const bad = [];
    document.querySelectorAll("svg, svg *").forEach((e) => {
      for (const a of ["x", "y", "width", "height", "x1", "x2", "y1", "y2", "points", "viewBox"]) {
        const v = e.getAttribute(a);
        if (v === null) continue;
        if (/NaN|Infinity|undefined/.test(v)) bad.push(e.tagName + " " + a + "=" + v);
        if ((a === "width" || a === "height") && parseFloat(v) < 0) bad.push(e.tagName + " " + a + "=" + v);
      }
    });
    const charts = [...document.querySelectorAll("svg.chart")].map((s) => ({
      cls: s.getAttribute("class"), metric: s.dataset.metric || "", label: s.getAttribute("aria-label") || "",
      series: [...s.querySelectorAll("polyline.series")].map((p) => p.dataset.dataset) }));
    return {
      cells, bad, charts,
      metricBlocks: [...document.querySelectorAll("details.metric")].map((d) => d.id.slice(2)),
      glossary: [...document.querySelectorAll("dl.glossary dt")].map((d) => d.id.slice(2)),
      flagRows: [...document.querySelectorAll("table.flags td[data-metric]")].map((t) => t.dataset.metric + "|" + t.dataset.dataset),
      inputs: [...document.querySelectorAll("table.inputs tr[data-dataset]")].map((t) => t.dataset.dataset),
      ranking: [...document.querySelectorAll("table.ranking tr[data-dataset]")].map((t) => t.dataset.dataset),
    };
  });
  return { dom, errors, requests, navMs };
}

// Compares what the page shows with the JSON report; returns the problems.
function check(dom, errors, requests, label) {
  const problems = [];
  const p = (m) => problems.push(label + ": " + m);
  for (const e of errors) p("console " + e);
  for (const r of requests) p("request left the page: " + r);
  for (const b of dom.bad.slice(0, 5)) p("broken chart attribute " + b);
  if (dom.bad.length > 5) p(dom.bad.length + " broken chart attributes in all");
  const defs = report.metric_definitions;
  const names = Object.keys(defs);
  for (const d of report.datasets) {
    if (!dom.inputs.includes(d.input)) p("dataset missing from the inputs table: " + d.input);
    if (d.utility && !dom.ranking.includes(d.input)) p("dataset missing from the ranking: " + d.input);
  }
  let compared = 0;
  for (const name of names) {
    if (!dom.glossary.includes(name)) p("metric missing from the glossary: " + name);
    if (defs[name].kind === "flag") {
      for (const d of report.datasets)
        if (!dom.flagRows.includes(name + "|" + d.input)) p("flag " + name + " missing for " + d.input);
      continue;
    }
    if (!dom.metricBlocks.includes(name)) { p("metric block missing: " + name); continue; }
    const chart = dom.charts.find((c) => c.metric === name);
    if (!chart) { p("no chart for " + name); continue; }
    if (!chart.label) p("chart without a text alternative: " + name);
    for (const d of report.datasets)
      if (d.metrics[name] && d.metrics[name].count > 0 && !chart.series.includes(d.input))
        p("chart " + name + " has no line for " + d.input);
  }
  for (const c of dom.cells) {
    const d = report.datasets.find((x) => x.input === c.dataset);
    if (!d) { p("a number for an unknown dataset: " + c.dataset); continue; }
    let want;
    if (c.stat === "utility") want = d.utility.score;
    else if (c.stat === "coverage") want = d.utility.coverage;
    else if (["lines", "scored"].includes(c.stat)) want = d[c.stat];
    else if (["skipped", "rejected"].includes(c.stat)) want = Object.values(d[c.stat]).reduce((a, b) => a + b, 0);
    else if (c.metric) want = d.metrics[c.metric]?.[c.stat];
    else continue;
    compared++;
    const got = c.value === "null" ? null : Number(c.value);
    if (!(got === want || (got === null && want === null))) p(`${c.dataset} ${c.metric} ${c.stat}: page ${c.value}, JSON ${want}`);
  }
  const expected = report.datasets.length * names.filter((n) => defs[n].kind !== "flag").length * 6;
  if (compared < expected) p(`only ${compared} numbers compared, expected at least ${expected}`);
  return { problems, compared };
}

const browser = await playwright.chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
  const good = await inspect(page, htmlPath);
  const r = check(good.dom, good.errors, good.requests, "sample report");
  r.problems.forEach(fail);
  console.log(`sample report: ${report.datasets.length} datasets, ${Object.keys(report.metric_definitions).length} metrics, ` +
              `${r.compared} numbers equal to the JSON report, ${good.dom.charts.length} charts, navigation ${good.navMs} ms`);
  const shot = path.join(out, "report-sample.png");
  await page.screenshot({ path: shot });
  if (updateShot) fs.copyFileSync(shot, path.join(root, "docs", "report-sample.png"));
  console.log("screenshot: " + (updateShot ? "docs/report-sample.png" : shot));

  // Broken copies must be caught.
  const html = fs.readFileSync(htmlPath, "utf8");
  const brokenNaN = html.replace(/(<rect class="contribution"[^>]*? width=")[0-9.]+/, "$1NaN");
  const first = report.datasets[0].input;
  const brokenMissing = html.replace(new RegExp(`<polyline class="series" data-dataset="${first.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^]*?</polyline>`), "");
  for (const [what, text] of [["a NaN bar width", brokenNaN], ["a missing dataset line", brokenMissing]]) {
    if (text === html) { fail("could not make the broken copy with " + what); continue; }
    const f = path.join(out, "broken.html");
    fs.writeFileSync(f, text);
    const b = await inspect(page, f);
    const rb = check(b.dom, b.errors, b.requests, "broken");
    if (rb.problems.length === 0) fail("the copy with " + what + " passed the checks");
    else console.log(`broken copy with ${what}: caught (${rb.problems[0]})`);
  }

  // The gate's HTML: the verdict and one row per rule, no error.
  const gatePath = path.join(out, "gate.html");
  try {
    run(["gate", samples[0], "--rules", "tests/data/gate/strict.json", "--scale", "8b", "--format", "html", "-q", "-o", gatePath]);
  } catch (e) {
    if (e.status !== 1) throw e;  // exit 1: a rule failed, as strict.json means
  }
  const gate = await inspect(page, gatePath);
  gate.errors.forEach((e) => fail("gate report: " + e));
  gate.requests.forEach((r) => fail("gate report: request " + r));
  const rules = JSON.parse(fs.readFileSync(path.join(root, "tests/data/gate/strict.json"), "utf8")).rules.length;
  const gateRows = await page.evaluate(() => document.querySelectorAll("table.gate tbody tr").length);
  const verdict = await page.evaluate(() => document.querySelector("#gate [data-stat=gate]")?.textContent || "");
  if (gateRows !== rules) fail(`gate report: ${gateRows} rule rows for ${rules} rules`);
  if (!/^FAILED: \d+ of \d+ rules passed/.test(verdict)) fail("gate report: verdict missing or wrong: " + verdict);
  else console.log("gate report: " + verdict);

  // Scale: 20 datasets x every offline metric.
  const many = [];
  const src = fs.readFileSync(path.join(root, samples[1]), "utf8").split("\n").filter(Boolean);
  for (let k = 0; k < 20; k++) {
    const f = path.join(out, `variant-${String(k).padStart(2, "0")}.jsonl`);
    fs.writeFileSync(f, src.filter((_, i) => (i + k) % 3 !== 0).join("\n") + "\n");
    many.push(f);
  }
  const bigPath = path.join(out, "twenty.html");
  run(["score", ...many, "--scale", "8b", "--format", "html", "-q", "-o", bigPath]);
  const size = fs.statSync(bigPath).size;
  const big = await inspect(page, bigPath);
  big.errors.forEach((e) => fail("20 datasets: " + e));
  big.dom.bad.slice(0, 3).forEach((b) => fail("20 datasets: broken chart attribute " + b));
  if (big.dom.inputs.length !== 20) fail(`20 datasets: ${big.dom.inputs.length} inputs on the page`);
  if (size > 2 * 1024 * 1024) fail(`20 datasets: ${size} bytes, over 2 MB`);
  console.log(`20 datasets: ${size} bytes, navigation ${big.navMs} ms (load to the load event; not a pass criterion: machines here are noisy)`);
} finally {
  await browser.close();
}
console.log(failures ? `${failures} failed` : "all checks passed");
process.exit(failures ? 1 : 0);
