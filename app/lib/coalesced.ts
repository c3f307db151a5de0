/**
 * Wraps an async task so that calls never overlap and none is lost: a call while the task runs
 * asks for one more run after it (however many calls came meanwhile), since that run covers them
 * all. For announcements such as "new events are stored": one at a time, and the last one after
 * the last thing announced.
 */
export function coalesced(task: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    void task()
      .catch(() => {})
      .finally(() => {
        running = false;
        if (again) run();
      });
  };
  return run;
}
