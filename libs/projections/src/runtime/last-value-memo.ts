/**
 * `convert` remembering its last answer. Events of one append share their times, so converting a time
 * once per append instead of once per event saves most of the work.
 */
export function lastValueMemo<Result>(convert: (value: string) => Result): (value: string) => Result {
  let lastValue: string | undefined;
  let lastResult!: Result;
  return (value) => {
    if (value !== lastValue) {
      lastResult = convert(value);
      lastValue = value;
    }
    return lastResult;
  };
}
