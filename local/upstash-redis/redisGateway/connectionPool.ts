/** A bounded set of exclusive resources (here: Redis connections). */
export interface Pool<T> {
  /** Resolves with a resource no one else holds until `release`. */
  acquire(): Promise<T>;
  /** Hands the resource back; a broken one (`healthy: false`) is destroyed instead. */
  release(resource: T, healthy: boolean): void;
  /** Destroys idle resources, refuses waiters and later acquires. */
  close(): Promise<void>;
}

export interface PoolOptions<T> {
  create(): Promise<T>;
  destroy(resource: T): Promise<void>;
  max: number;
}

/**
 * A minimal FIFO pool: reuse idle, create below `max`, else queue.
 *
 * @example
 * ```ts
 * const pool = createPool({ create: connect, destroy: (c) => c.quit(), max: 8 });
 * const conn = await pool.acquire();
 * try { await use(conn); pool.release(conn, true); } catch { pool.release(conn, false); }
 * ```
 */
export const createPool = <T>({ create, destroy, max }: PoolOptions<T>): Pool<T> => {
  const idle: T[] = [];
  const waiters: { resolve(resource: T): void; reject(error: Error): void }[] = [];
  let size = 0;
  let closed = false;

  const grow = async (): Promise<T> => {
    size++;
    try {
      return await create();
    } catch (error) {
      size--;
      throw error;
    }
  };
  // A waiter gets a fresh resource when a broken one made room.
  const serveWaiterWithNew = () => {
    const waiter = waiters.shift();
    if (waiter) grow().then(waiter.resolve, waiter.reject);
  };

  return {
    acquire() {
      if (closed) return Promise.reject(new Error("connection pool is closed"));
      const ready = idle.pop();
      if (ready !== undefined) return Promise.resolve(ready);
      if (size < max) return grow();
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    release(resource, healthy) {
      if (!healthy || closed) {
        size--;
        void destroy(resource).catch(() => undefined);
        if (!closed) serveWaiterWithNew();
        return;
      }
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(resource);
      else idle.push(resource);
    },
    async close() {
      closed = true;
      for (const waiter of waiters.splice(0)) waiter.reject(new Error("connection pool is closed"));
      const resources = idle.splice(0);
      size -= resources.length;
      await Promise.all(resources.map((resource) => destroy(resource).catch(() => undefined)));
    },
  };
};
