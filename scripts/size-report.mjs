// Part of scripts/bench-size.sh: raw / gzip (level 9) / brotli (quality 11) bytes of every
// wasm, JS and CSS file of the release site, what each entry page loads before it is
// interactive, and the budget check (an entry page, or the whole site, more than 10 % over
// bench/budget.json fails; without a budget file, or with --update, this build's numbers
// become the budget).
//   node scripts/size-report.mjs <pkg dir> <pages.tsv: page TAB /pkg/file> <budget.json> [--update]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const [pkg, pagesFile, budgetFile, mode] = process.argv.slice(2);
const TOLERANCE = 0.1;
const kb = (n) => (n / 1024).toFixed(1);

const sizes = {};
for (const name of readdirSync(pkg).sort()) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const raw = readFileSync(join(pkg, name));
  sizes[name] = {
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }).length,
  };
}
console.log("| file | raw B | gzip B | brotli B |\n| --- | --- | --- | --- |");
const total = { raw: 0, gzip: 0, brotli: 0 };
for (const [name, s] of Object.entries(sizes)) {
  console.log(`| ${name} | ${s.raw} | ${s.gzip} | ${s.brotli} |`);
  for (const k of Object.keys(total)) total[k] += s[k];
}
console.log(`| all | ${total.raw} | ${total.gzip} | ${total.brotli} |`);

// Entry pages: the /pkg files their HTML names (links, scripts, the hydration import and the
// preloads of the page's split module and its chunks).
const pages = {};
for (const line of readFileSync(pagesFile, "utf8").split("\n").filter(Boolean)) {
  const [page, path] = line.split("\t");
  (pages[page] ??= new Set()).add(path.replace(/^.*\/pkg\//, ""));
}
const pageSizes = {};
console.log("\n| entry page | files before interactive | brotli KB | raw KB |\n| --- | --- | --- | --- |");
for (const [page, files] of Object.entries(pages)) {
  const known = [...files].filter((f) => sizes[f]);
  const sum = (k) => known.reduce((a, f) => a + sizes[f][k], 0);
  pageSizes[page] = { raw: sum("raw"), brotli: sum("brotli") };
  console.log(`| ${page} | ${[...files].join(", ")} | ${kb(sum("brotli"))} | ${kb(sum("raw"))} |`);
}

// The budget is kept per entry page and for the whole site, not per file: the splitter
// numbers its shared chunks (chunk_N) anew when the code changes.
const current = { tolerance: TOLERANCE, pages: pageSizes, all: total };
if (mode === "--update" || !existsSync(budgetFile)) {
  mkdirSync(dirname(budgetFile), { recursive: true });
  writeFileSync(budgetFile, JSON.stringify(current, null, 2) + "\n");
  console.log(`\nbudget written to ${budgetFile} (commit it)`);
} else {
  const budget = JSON.parse(readFileSync(budgetFile, "utf8"));
  const over = [];
  const check = (what, s, b) => {
    if (!b) return console.log(`note: ${what} has no budget`);
    for (const k of ["raw", "brotli"]) {
      if (s[k] > b[k] * (1 + budget.tolerance)) over.push(`${what} ${k} ${s[k]} B > budget ${b[k]} B + ${budget.tolerance * 100} %`);
    }
  };
  for (const [page, s] of Object.entries(pageSizes)) check(page, s, budget.pages?.[page]);
  check("all files", total, budget.all);
  if (over.length) {
    console.log(`\nOVER BUDGET:\n  ${over.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`\nevery entry page and the whole site within ${budget.tolerance * 100} % of ${budgetFile}`);
}
