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
}

export const newReaderState = (): ReaderState => ({
  knownHead: 0,
  lastApplyAt: null,
  lastHeardAt: null,
  lastPoison: null,
});
