// A pause that ends after `ms`, or at once when woken: the reader's wait for
// new mail (IMAP IDLE wakes it) and its backoff (stop wakes it).
export interface Pause {
  wait(ms: number): Promise<void>;
  /** ends the pause under way, if any */
  wake(): void;
}

export function pause(): Pause {
  let end: (() => void) | undefined;
  return {
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        function done() {
          clearTimeout(t);
          end = undefined;
          resolve();
        }
        end = done;
      }),
    wake: () => end?.(),
  };
}
