/**
 * Progress of a long plan on stderr: nothing for a plan that finishes within the first interval, then
 * at most one line per interval — projects planned so far (of every stack) and the time since the
 * start — and, once something was said, the last project too. Stdout stays the plan alone.
 */
export function planProgress(
  write: (line: string) => void,
  label: string,
  intervalMs = 1500,
  clock: () => number = () => performance.now(),
): (done: number, total: number) => void {
  const start = clock();
  let last = start;
  let spoke = false;
  return (done, total) => {
    const now = clock();
    if (now - last < intervalMs && !(spoke && done === total)) return;
    last = now;
    spoke = true;
    const seconds = ((now - start) / 1000).toFixed(0);
    write(`${label}: ${done}/${total} projects, ${seconds} s`);
  };
}
