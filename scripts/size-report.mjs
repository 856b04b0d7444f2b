// Part of scripts/bench-size.sh: raw / gzip (level 9) / brotli (quality 11) bytes of every
// wasm, JS and CSS file of the release site, what each entry page loads before it is
// interactive, and the budget check (an entry page, or the whole site, more than 10 % over
// bench/budget.json fails; without a budget file, or with --update, this build's numbers
// become the budget).
//   node scripts/size-report.mjs <pkg dir> <pages.tsv: page TAB /pkg/file> <budget.json> [--update]
// With FLOOR_PKG set (the pkg dir of bench/floor, an empty Leptos app built the same way), the
// entry page table starts with that floor and gives each page as a multiple of it.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const [pkg, pagesFile, budgetFile, mode] = process.argv.slice(2);
const TOLERANCE = 0.1;
const kb = (n) => (n / 1024).toFixed(1);

// raw / gzip -9 / brotli q11 bytes of every wasm, JS and CSS file in `dir`.
function measure(dir) {
  const sizes = {};
  for (const name of readdirSync(dir).sort()) {
    if (!/\.(wasm|js|css)$/.test(name)) continue;
    const raw = readFileSync(join(dir, name));
    sizes[name] = {
      raw: raw.length,
      gzip: gzipSync(raw, { level: 9 }).length,
      brotli: brotliCompressSync(raw, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
      }).length,
    };
  }
  return sizes;
}
const sum = (sizes, files, k) => files.reduce((a, f) => a + sizes[f][k], 0);

const sizes = measure(pkg);
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
const floorPkg = process.env.FLOOR_PKG;
const floor = floorPkg && existsSync(floorPkg) ? measure(floorPkg) : null;
const floorBrotli = floor && sum(floor, Object.keys(floor), "brotli");
const times = (brotli) => (floor ? ` | ${(brotli / floorBrotli).toFixed(2)}×` : "");
console.log(
  `\n| entry page | files before interactive | brotli KB | raw KB${floor ? " | × floor" : ""} |\n| --- | --- | --- | ---${floor ? " | ---" : ""} |`,
);
if (floor) {
  const files = Object.keys(floor);
  console.log(`| floor: an empty Leptos app (bench/floor) | ${files.join(", ")} | ${kb(floorBrotli)} | ${kb(sum(floor, files, "raw"))}${times(floorBrotli)} |`);
}
for (const [page, files] of Object.entries(pages)) {
  const known = [...files].filter((f) => sizes[f]);
  pageSizes[page] = { raw: sum(sizes, known, "raw"), brotli: sum(sizes, known, "brotli") };
  console.log(`| ${page} | ${[...files].join(", ")} | ${kb(pageSizes[page].brotli)} | ${kb(pageSizes[page].raw)}${times(pageSizes[page].brotli)} |`);
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
