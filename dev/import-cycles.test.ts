import { describe, expect, it } from "vitest";
import { findCycles } from "./import-cycles.mjs";

describe("findCycles", () => {
  it("finds a circle of modules and nothing in a tree", () => {
    const graph = new Map([
      ["queue", ["boss"]],
      ["registry", ["jobs"]],
      ["jobs", ["services"]],
      ["services", ["queue", "registry"]],
      ["boss", []],
    ]);
    expect(findCycles(graph)).toEqual([["registry", "jobs", "services"]]);
    graph.set("services", ["queue"]);
    expect(findCycles(graph)).toEqual([]);
  });

  it("counts a module that imports itself", () => {
    expect(findCycles(new Map([["a", ["a"]]]))).toEqual([["a"]]);
  });
});
