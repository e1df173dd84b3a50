/**
 * The store's committed head, read at most once per turn of the event loop and again after each own append
 * settles. Reading it costs a statement; under load one turn starts dozens of commands, and a head a turn old
 * only makes the fold freshness trust fewer folds or check one against a lower head: an event another writer
 * appended within the turn is still caught by the expected revision on append, and seen at the next turn.
 */
export class HeadPerTurn {
  private head: number | undefined;

  constructor(private readonly committedHead: () => number) {}

  read = (): number => {
    if (this.head === undefined) {
      this.head = this.committedHead();
      setImmediate(this.forget);
    }
    return this.head;
  };

  /** An own append settled: the head moved. */
  forget = (): void => {
    this.head = undefined;
  };
}
