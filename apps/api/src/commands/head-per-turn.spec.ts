import { HeadPerTurn } from './head-per-turn';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('HeadPerTurn', () => {
  it('reads the head once per turn of the event loop, and again once told an own append settled', async () => {
    let head = 5;
    const reads = jest.fn(() => head);
    const perTurn = new HeadPerTurn(reads);
    expect(perTurn.read()).toBe(5);
    head = 6;
    expect(perTurn.read()).toBe(5);
    expect(reads).toHaveBeenCalledTimes(1);
    perTurn.forget();
    expect(perTurn.read()).toBe(6);
    head = 7;
    await nextTurn();
    expect(perTurn.read()).toBe(7);
    expect(reads).toHaveBeenCalledTimes(3);
  });
});
