import { connect, type Socket } from "node:net";
import { type HttpResponseEnd, HttpResponseReader } from "./httpResponseReader.ts";

/**
 * One keep-alive HTTP/1.1 connection that sends a request and waits for its
 * response before the next (a closed loop's connection): the request's bytes
 * are written as given, the response's framing is all that is read. It opens
 * on first use and again after the server closed it. Leaner per request than
 * `node:http`'s client (no header objects, no body stream), so less of the
 * cores the load generator shares with the server goes to the client.
 *
 * @example
 * const connection = new HttpConnection("127.0.0.1", 8091);
 * const { status } = await connection.send("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
 */
export class HttpConnection {
  private socket: Socket | null = null;
  private readonly reader = new HttpResponseReader();
  private waiting: {
    resolve: (end: HttpResponseEnd) => void;
    reject: (error: Error) => void;
  } | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Sends one request (head and body, as its bytes go out); resolves with the response's status once it has ended. */
  send(request: string): Promise<HttpResponseEnd> {
    if (this.waiting) return Promise.reject(new Error("a request is already in flight"));
    const socket = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(request);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      let end: HttpResponseEnd | null;
      try {
        end = this.reader.push(chunk);
      } catch (error) {
        this.fail(socket, error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (!end) return;
      if (!end.keepAlive) this.drop(socket);
      this.settle()?.resolve(end);
    });
    socket.on("error", (error) => this.fail(socket, error));
    socket.on("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const end = this.reader.closed();
      if (end) this.settle()?.resolve(end);
      else this.settle()?.reject(new Error("the server closed the connection mid-response"));
    });
    return socket;
  }

  private settle() {
    const waiting = this.waiting;
    this.waiting = null;
    return waiting;
  }

  /** Forgets a socket the next request must not reuse. */
  private drop(socket: Socket) {
    if (this.socket === socket) this.socket = null;
    this.reader.closed();
    socket.end();
  }

  private fail(socket: Socket, error: Error) {
    this.drop(socket);
    socket.destroy();
    this.settle()?.reject(error);
  }
}
