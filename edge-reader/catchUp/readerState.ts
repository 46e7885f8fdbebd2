/** What a reader knows about its own freshness, kept per process (per isolate on Workers). */
export interface ReaderState {
  /** the primary's head as last seen in a pulled page or a push, 0 before any */
  knownHead: number;
  /** when a batch last changed the views, epoch ms */
  lastApplyAt: number | null;
  /** when the primary was last heard from (a verified push or a pulled page), epoch ms */
  lastHeardAt: number | null;
  /** the last signed push refused as unusable: QStash retries it, then dead-letters it */
  lastPoison: { at: number; message: string; details: unknown } | null;
  /**
   * The highest watermark this process has seen its store at (an apply, a
   * read, a watermark read): a lower bound of the store's, since watermarks
   * only grow. Other processes on the same store (Worker isolates) move it
   * too, so it is only as current as `watermarkSeenAt`.
   */
  watermark: number;
  /** when `watermark` was last seen, epoch ms; null before the first */
  watermarkSeenAt: number | null;
  /** reads this process handed to the primary, for the status (the dashboard's rate of them) */
  primaryFallbacks: number;
}

export const newReaderState = (): ReaderState => ({
  knownHead: 0,
  lastApplyAt: null,
  lastHeardAt: null,
  lastPoison: null,
  watermark: 0,
  watermarkSeenAt: null,
  primaryFallbacks: 0,
});
