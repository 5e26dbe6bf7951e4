// Runs asyncio programs under CPython 3.14 in Pyodide (Node.js): see harness.py.
//   node driver.mjs PYODIDE_DIR REPO_DIR JOBS_JSON_FILE  ->  one JSON document on stdout
// The repository is mounted read-only at /tinyloop, so loop_impl is imported from the checkout.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, repoDir, jobsFile] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
// Pyodide's own prints (package loading notices) must not mix with the JSON on stdout.
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: (s) => process.stderr.write(s + "\n") });
py.FS.mkdir("/tinyloop");
py.FS.mount(py.FS.filesystems.NODEFS, { root: repoDir }, "/tinyloop");
py.runPython(readFileSync(path.join(repoDir, "tests", "pyodide", "harness.py"), "utf8"));
const runJobs = py.globals.get("run_jobs");
try {
  process.stdout.write(runJobs(readFileSync(jobsFile, "utf8")));
} catch (err) {
  // A Python traceback, without a dump of Pyodide's minified JavaScript.
  process.stderr.write(String(err.message ?? err) + "\n");
  process.exit(1);
}
