/**
 * Notices when a compose window's recipients or sender change. Thunderbird 153 has no event for it
 * (`compose.onComposeStateChanged` fires only when sending becomes possible or impossible), so each
 * open compose tab is read at a short interval and compared with what was seen last. A change starts
 * the recipient check at once — certificate lookups, directory searches and the toolbar button — so
 * the answer is usually ready before the user opens Waxseal's popup or presses Send.
 */

export interface RecipientWatchDeps {
  /** What identifies the tab's current recipients and sender; throws once the tab is gone. */
  read(tabId: number): Promise<string>;
  /** Runs the check for a changed tab; awaited, so checks of one tab never overlap. */
  changed(tabId: number): Promise<void>;
  intervalMs: number;
  timers?: { setInterval(run: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
}

interface Watched {
  handle: unknown;
  last: string | null;
  busy: boolean;
}

export class RecipientWatch {
  private readonly tabs = new Map<number, Watched>();
  private readonly timers: NonNullable<RecipientWatchDeps['timers']>;

  constructor(private readonly deps: RecipientWatchDeps) {
    this.timers = deps.timers ?? {
      setInterval: (run, ms) => setInterval(run, ms),
      clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
    };
  }

  /** Starts watching a compose tab; its current recipients are the baseline (the caller checked them). */
  watch(tabId: number): void {
    if (this.tabs.has(tabId)) return;
    const watched: Watched = { handle: null, last: null, busy: false };
    watched.handle = this.timers.setInterval(() => void this.tick(tabId, watched), this.deps.intervalMs);
    this.tabs.set(tabId, watched);
    watched.busy = true;
    this.deps.read(tabId).then(
      (key) => {
        watched.last = key;
        watched.busy = false;
      },
      () => this.unwatch(tabId),
    );
  }

  unwatch(tabId: number): void {
    const watched = this.tabs.get(tabId);
    if (!watched) return;
    this.timers.clearInterval(watched.handle);
    this.tabs.delete(tabId);
  }

  get size(): number {
    return this.tabs.size;
  }

  private async tick(tabId: number, watched: Watched): Promise<void> {
    if (watched.busy) return;
    watched.busy = true;
    try {
      let key: string;
      try {
        key = await this.deps.read(tabId);
      } catch {
        this.unwatch(tabId); // the compose window closed between two reads
        return;
      }
      if (key === watched.last) return;
      watched.last = key;
      await this.deps.changed(tabId).catch((error: unknown) => console.error('Waxseal: compose state update failed', error));
    } finally {
      watched.busy = false;
    }
  }
}
