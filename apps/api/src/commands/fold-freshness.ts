/**
 * Whether a cached fold can be used without reading its stream's tail from the store: only when nothing was
 * appended since the fold was checked except by the executor's own appends, whose events it folded itself.
 *
 * It compares the store's committed head with the positions of the executor's own appends. An event it did not
 * append (another process sharing the file, another writer in this one, a test writing straight to the store)
 * shows as a position none of its appends holds: from then on every fold checked before that position is read
 * afresh. While own appends are in flight, positions past those accounted for are nobody's yet: no fold is
 * trusted until their results tell whose they are. The expected revision on append still guards every write.
 */
export class FoldFreshness {
  /** Every position up to here is either an own append or counted in `othersThrough`; undefined before the first look. */
  private accountedThrough: number | undefined;
  /** The highest position that may hold an event the executor did not append itself. */
  private othersThrough = 0;
  /** The head at the last look. */
  private head = 0;
  /** Own appends started whose results are not counted yet. */
  private inFlight = 0;

  constructor(private readonly committedHead: () => number) {}

  /**
   * Reads the committed head (or a head read earlier, no higher than the committed one). A fold read from the
   * store after this call holds every event of its stream up to the head returned: it is checked through it.
   */
  look(readHead: () => number = this.committedHead): number {
    this.head = readHead();
    if (this.accountedThrough === undefined || (this.head > this.accountedThrough && this.inFlight === 0)) {
      // With no own append in flight, whatever lies past the positions accounted for is someone else's.
      this.othersThrough = Math.max(this.othersThrough, this.head);
      this.accountedThrough = this.head;
    }
    return this.head;
  }

  /** Whether a fold checked through `checkedThrough` still holds every event of its stream, as of the last look. */
  trusts(checkedThrough: number): boolean {
    return this.head === this.accountedThrough && checkedThrough >= this.othersThrough;
  }

  appendStarted(): void {
    this.inFlight++;
  }

  /** Counts an own append whose events hold the positions `first` to `last`. */
  appended(first: number, last: number): void {
    this.inFlight--;
    if (this.accountedThrough === undefined || first > this.accountedThrough + 1) {
      // Positions between the last accounted for and this append's first are someone else's.
      this.othersThrough = Math.max(this.othersThrough, first - 1);
      this.accountedThrough = last;
    } else if (last > this.accountedThrough) {
      this.accountedThrough = last;
    }
  }

  /** An own append that failed: whatever it may have written counts as someone else's at the next look. */
  appendFailed(): void {
    this.inFlight--;
  }
}
