// Starting a fetch costs the main thread 10–45 ms the first time on a page under 4× CPU
// throttling (a profile of the demo page: more than rendering the element), and three widgets
// start four requests. Run in the same task as the elements' first render, that work holds their
// placeholders off the screen; started after the next frame, it delays the data by one frame.

/** Runs `task` once, right after the browser paints its next frame. */
export function afterNextPaint(task: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    task();
  };
  // A frame's callbacks run just before its paint, so a task queued from one runs after it.
  requestAnimationFrame(() => setTimeout(run));
  // A page in a background tab paints no frame: it should not wait to be looked at to load.
  setTimeout(run, 100);
}
