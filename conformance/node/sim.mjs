// Starts the idconn-sim binary on a free loopback port and reads the KEY=VALUE lines it prints.
import { spawn } from "node:child_process";
import readline from "node:readline";
import { isDeepStrictEqual, inspect } from "node:util";

/** Starts `idconn-sim <vendor> --port 0 [args]`; resolves once every key in `keys` was printed. */
export async function startSim(vendor, keys, args = []) {
  const bin = process.env.IDCONN_SIM_BIN;
  if (!bin) throw new Error("IDCONN_SIM_BIN is not set (run conformance/run.sh)");
  const child = spawn(bin, [vendor, "--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const env = {};
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`idconn-sim ${vendor} printed no ${keys} within 20 s`)), 20000);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`idconn-sim ${vendor} exited (${code}) before listening`)));
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const eq = line.indexOf("=");
      if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
      if (keys.every((key) => key in env)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await listening;
  } catch (error) {
    child.kill("SIGKILL"); // never leave a simulator behind the failed story
    throw error;
  }
  child.removeAllListeners("exit");
  return { env, stop: () => child.kill("SIGTERM") };
}

/** Fails the story when `actual` differs from `expected`. */
export function same(what, actual, expected) {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}: expected ${inspect(expected, { depth: 6 })}, got ${inspect(actual, { depth: 6 })}`);
  }
  console.log(`  ok  ${what}`);
}

/** Fails the story unless `promise` rejects with an error that `check` accepts (returns true). */
export async function rejects(what, promise, check) {
  let error;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  if (!error) throw new Error(`${what}: expected an error, got success`);
  if (!check(error)) throw new Error(`${what}: unexpected error ${inspect(error, { depth: 4 })}`);
  console.log(`  ok  ${what}`);
}

/**
 * Runs `story(env)` against a fresh simulator (started with `args`) and sets a non-zero exit
 * code on the first difference.
 */
export async function runStory(name, vendor, keys, story, args = []) {
  console.log(`== ${name}`);
  const sim = await startSim(vendor, keys, args);
  try {
    await story(sim.env);
    console.log(`== ${name}: passed`);
  } catch (error) {
    console.error(`== ${name}: FAILED: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 1;
  } finally {
    sim.stop();
  }
}
