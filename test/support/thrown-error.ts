/**
 * The error of class `type` that `run` throws, for tests that read its fields: an error of another class is
 * thrown on, and a `run` that returns fails the test.
 */
export function errorThrownBy<E extends Error>(type: new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name} to be thrown`);
}
