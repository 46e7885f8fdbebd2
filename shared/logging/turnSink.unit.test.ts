import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { turnSink } from "./turnSink.ts";

/** A turn sink whose output is recorded and whose turns end when the test says. */
function recorded() {
  const writes: { to: "out" | "err"; text: string }[] = [];
  const scheduled: (() => void)[] = [];
  const sink = turnSink(
    {
      out: (text) => writes.push({ to: "out", text }),
      err: (text) => writes.push({ to: "err", text }),
    },
    (write) => scheduled.push(write),
  );
  const endTurn = () => {
    for (const write of scheduled.splice(0)) write();
  };
  const log = createLogger({ sink, level: "debug", now: () => 0 });
  const msgs = (text: string) => text.split("\n").map((line) => JSON.parse(line).msg);
  return { sink, log, writes, scheduled, endTurn, msgs };
}

describe("turnSink", () => {
  it("writes a turn's info and debug lines once, in order, when the turn ends", () => {
    const { log, writes, scheduled, endTurn, msgs } = recorded();
    log.info("a");
    log.debug("b");
    log.info("c");
    expect(writes).toEqual([]);
    expect(scheduled).toHaveLength(1);
    endTurn();
    expect(writes.map((w) => w.to)).toEqual(["out"]);
    expect(msgs(writes[0]?.text ?? "")).toEqual(["a", "b", "c"]);
    log.info("d");
    endTurn();
    expect(writes.map((w) => msgs(w.text))).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("writes a warn or an error at once, after the lines waiting before it", () => {
    const { log, writes, endTurn, msgs } = recorded();
    log.info("a");
    log.warn("careful");
    log.info("b");
    log.error("broken");
    expect(writes.map((w) => [w.to, msgs(w.text)])).toEqual([
      ["out", ["a"]],
      ["err", ["careful"]],
      ["out", ["b"]],
      ["err", ["broken"]],
    ]);
    endTurn();
    expect(writes).toHaveLength(4);
  });

  it("writes what waits on flush, and nothing twice when the turn then ends", () => {
    const { sink, log, writes, endTurn, msgs } = recorded();
    log.info("a");
    sink.flush();
    expect(writes.map((w) => msgs(w.text))).toEqual([["a"]]);
    endTurn();
    sink.flush();
    expect(writes).toHaveLength(1);
  });
});
