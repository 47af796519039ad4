// One-row SELECT round trips through Xenon's proxy: the serverless driver's Client over WebSocket (local-mode
// neonConfig, default pipelined start-up) vs node-postgres over TCP with TLS, the URI as returned. Each round runs
// each kind, the order rotating every round: `queries` warm round trips on one connection, and `connects` new connections (connect,
// one query, end). Prints JSON with every sample in microseconds; bench/ws-vs-tcp.sh summarises.
//
//   node bench-ws-vs-tcp.mjs <connection uri> <wss host:port> <rounds> <queries> <connects>
import { Client as WsClient, neonConfig } from '@neondatabase/serverless';
import pg from 'pg';
import ws from 'ws';

const [connectionString, httpsHostPort, rounds, queries, connects] = process.argv.slice(2);
neonConfig.webSocketConstructor = ws;
neonConfig.wsProxy = `${httpsHostPort}/v2`;

// The driver by default holds each write for a setTimeout(0) (>= 1 ms in Node) to coalesce it with others
// (coalesceWrites); the third kind turns that off on its own socket, to show what the transport itself costs.
const kinds = {
  websocket: () => new WsClient(connectionString),
  'websocket-uncoalesced': () => {
    const client = new WsClient(connectionString);
    client.neonConfig.coalesceWrites = false;
    return client;
  },
  tcp: () => new pg.Client({ connectionString }),
};
const samples = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, { query: [], connect: [] }]));
const micros = (start) => Number(process.hrtime.bigint() - start) / 1000;

async function warm(kind) {
  const client = kinds[kind]();
  await client.connect();
  for (let i = 0; i < 20; i++) await client.query('select 1 as one');
  for (let i = 0; i < Number(queries); i++) {
    const start = process.hrtime.bigint();
    await client.query('select 1 as one');
    samples[kind].query.push(micros(start));
  }
  await client.end();
}

async function cold(kind) {
  for (let i = 0; i < Number(connects); i++) {
    const start = process.hrtime.bigint();
    const client = kinds[kind]();
    await client.connect();
    await client.query('select 1 as one');
    samples[kind].connect.push(micros(start));
    await client.end();
  }
}

for (let round = 0; round < Number(rounds); round++) {
  const names = Object.keys(kinds);
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const kind of order) {
    await warm(kind);
    await cold(kind);
  }
}
console.log(JSON.stringify(samples));
