import { describe, expect, it } from "vitest";
import { diskWrittenBytes, kibPerWrite, writeBytesOf } from "./diskWrites.ts";

const io = `rchar: 2012
wchar: 3567
syscr: 7
syscw: 9
read_bytes: 0
write_bytes: 1228800
cancelled_write_bytes: 4096
`;

describe("disk writes", () => {
  it("counts write_bytes less cancelled_write_bytes, never wchar (sockets count there)", () => {
    expect(writeBytesOf(io)).toBe(1_228_800 - 4_096);
  });

  it("says null when the kernel gives no write_bytes or no cancelled_write_bytes line", () => {
    expect(writeBytesOf("rchar: 1\nwchar: 2\n")).toBeNull();
    expect(writeBytesOf("write_bytes: 4096\n")).toBeNull();
  });

  it("gives KiB per write between two readings, null when one is unknown or nothing was written", () => {
    expect(kibPerWrite(4_096, 4_096 + 300 * 1_024, 100)).toBe(3);
    expect(kibPerWrite(null, 1_024, 1)).toBeNull();
    expect(kibPerWrite(0, null, 1)).toBeNull();
    expect(kibPerWrite(0, 1_024, 0)).toBeNull();
  });

  it("reads this process's own counter where /proc has one, and null for a process that is not there", () => {
    const self = diskWrittenBytes("self");
    if (process.platform === "linux") expect(self).toBeGreaterThanOrEqual(0);
    else expect(self).toBeNull();
    expect(diskWrittenBytes(2 ** 22 + 7)).toBeNull();
  });
});
