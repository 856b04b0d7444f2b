import * as dgram from 'node:dgram';

// A tiny DNS responder for the custom-domain journey: UDP on the address the app server
// was told to ask (TRIBUTARY_DNS_SERVER, set by scripts/test.sh for both the server and
// Playwright). It answers TXT queries for the records a test sets and NXDOMAIN otherwise.

export const DNS_SERVER = process.env.TRIBUTARY_DNS_SERVER || '127.0.0.1:15353';

const TYPE_TXT = 16;

export class TestDns {
  private records = new Map<string, string[]>();
  private constructor(private socket: dgram.Socket) {}

  static async start(address: string = DNS_SERVER): Promise<TestDns> {
    const [host, port] = splitAddress(address);
    const socket = dgram.createSocket('udp4');
    const dns = new TestDns(socket);
    socket.on('message', (msg, from) => {
      const answer = dns.answer(msg);
      if (answer) socket.send(answer, from.port, from.address);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => resolve());
    });
    return dns;
  }

  /** Publishes (replaces) the TXT strings at `name`. */
  setTxt(name: string, values: string[]) {
    this.records.set(key(name), values);
  }

  async stop() {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer | null {
    if (query.length < 12 || query.readUInt16BE(4) !== 1) return null; // exactly one question
    // The question: labels up to the zero byte, then type and class.
    const labels: string[] = [];
    let at = 12;
    while (at < query.length && query[at] !== 0) {
      const len = query[at];
      labels.push(query.subarray(at + 1, at + 1 + len).toString('ascii'));
      at += 1 + len;
    }
    const questionEnd = at + 5;
    if (questionEnd > query.length) return null;
    const type = query.readUInt16BE(at + 1);
    const values = this.records.get(key(labels.join('.')));
    const answers = values && type === TYPE_TXT ? values.map(txtAnswer) : [];

    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    const recursionDesired = query[2] & 0x01;
    header[2] = 0x80 | (query[2] & 0x78) | 0x04 | recursionDesired; // QR, opcode, AA, RD
    header[3] = 0x80 | (values ? 0 : 3); // RA; NOERROR or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
  }
}

/** One TXT record for the question's name (a pointer to offset 12), TTL 0. */
function txtAnswer(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  const rdata = Buffer.concat(parts);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(TYPE_TXT, 2);
  fixed.writeUInt16BE(1, 4); // class IN
  fixed.writeUInt32BE(0, 6); // TTL
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([fixed, rdata]);
}

function key(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return i < 0 ? [address, 53] : [address.slice(0, i), Number(address.slice(i + 1))];
}
