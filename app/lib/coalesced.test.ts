import { describe, expect, it } from "vitest";
import { coalesced } from "./coalesced";

/** Lets settled promise chains (and a follow-up run they start) go through. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A task whose runs finish when the test says so. */
function controlledTask() {
  const finishers: (() => void)[] = [];
  let started = 0;
  const task = () =>
    new Promise<void>((resolve) => {
      started++;
      finishers.push(resolve);
    });
  const finishCurrent = async () => {
    finishers.shift()!();
    await settle();
  };
  return { task, finishCurrent, started: () => started };
}

describe("coalesced", () => {
  it("runs at once when idle", () => {
    const { task, started } = controlledTask();
    coalesced(task)();
    expect(started()).toBe(1);
  });

  it("turns any number of calls during a run into exactly one run after it", async () => {
    const { task, finishCurrent, started } = controlledTask();
    const announce = coalesced(task);
    announce();
    announce();
    announce();
    announce();
    expect(started()).toBe(1);
    await finishCurrent();
    expect(started()).toBe(2);
    await finishCurrent();
    expect(started()).toBe(2);
  });

  it("runs again after a failed run when called meanwhile, and stays usable", async () => {
    let calls = 0;
    const failures: (() => void)[] = [];
    const announce = coalesced(
      () =>
        new Promise<void>((_, reject) => {
          calls++;
          failures.push(() => reject(new Error("database gone")));
        }),
    );
    announce();
    announce();
    failures.shift()!();
    await settle();
    expect(calls).toBe(2);
    failures.shift()!();
    await settle();
    announce();
    expect(calls).toBe(3);
  });
});
