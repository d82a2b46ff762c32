/**
 * Disposal for the editor features. A feature extends `Disposable` and hands every listener,
 * provider, command and emitter to `_register`; one `dispose()` then releases them all, each once,
 * even when one of them throws. Modelled on the Markdown language service's `util/dispose.ts`.
 */

/** Anything with a `dispose()`: VS Code's Disposable, an EventEmitter, our own features. */
export interface IDisposable {
  dispose(): unknown;
}

/** Disposes every item, in order; the first error is rethrown after all were tried. */
export function disposeAll(items: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const d of items) {
    try {
      d.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed to dispose');
}

/** A disposable that runs `fn` once (clearing timers, aborting runs, emptying caches). */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Base of every feature: owns what it registers and releases it on dispose. */
export abstract class Disposable implements IDisposable {
  private disposed = false;
  private readonly registered: IDisposable[] = [];

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.registered.splice(0));
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `value`; registered after dispose, it is disposed at once. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.registered.push(value);
    return value;
  }

  /** `_register` for several at once (a feature's listeners, in its constructor). */
  protected _registerAll(...values: IDisposable[]): void {
    for (const v of values) this._register(v);
  }
}
