/**
 * Progress of a long plan on stderr: nothing for a plan that finishes within the first interval, then
 * at most one line per interval — the stack, its place among the stacks, the resources registered so
 * far and the time since the start. Stdout stays the plan alone.
 */
export function planProgress(
  write: (line: string) => void,
  label: string,
  intervalMs = 1500,
  clock: () => number = () => performance.now(),
): (stack: string, index: number, total: number, resources: number) => void {
  const start = clock();
  let last = start;
  return (stack, index, total, resources) => {
    const now = clock();
    if (now - last < intervalMs) return;
    last = now;
    const seconds = ((now - start) / 1000).toFixed(0);
    write(`${label}: stack ${stack} (${index}/${total}), ${resources} resources registered, ${seconds} s`);
  };
}
