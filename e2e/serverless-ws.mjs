// Runs one scenario with the real @neondatabase/serverless driver over WebSocket, configured for Xenon's local
// mode exactly as the README says, and everything else (pipelineConnect: "password", forceDisablePgSSL, ...) left
// at the driver's defaults. Prints the result as JSON; on failure prints the error's code and message, exits 1.
//
//   node serverless-ws.mjs <connection uri> <wss host:port> <scenario> [sql]
import { Client, Pool, neonConfig } from '@neondatabase/serverless';
import ws from 'ws';

const [connectionString, httpsHostPort, scenario, sql] = process.argv.slice(2);

// Local mode: the WebSocket goes to Xenon's HTTPS port; the driver appends ?address=<host>:<port> of the URI,
// which names the endpoint by its own proxy port.
neonConfig.webSocketConstructor = ws; // Node 22+ has a global WebSocket and needs no constructor
neonConfig.wsProxy = `${httpsHostPort}/v2`;
neonConfig.useSecureWebSocket = true;
neonConfig.pipelineTLS = false;

const scenarios = {
  // One query through a Pool.
  async pool() {
    const pool = new Pool({ connectionString });
    try {
      const { rows } = await pool.query(sql ?? 'select current_user as who, 1 + 1 as two');
      return rows;
    } finally {
      await pool.end();
    }
  },

  // A committed and a rolled-back transaction on one pooled client.
  async transaction() {
    const pool = new Pool({ connectionString });
    const client = await pool.connect();
    try {
      await client.query('create table if not exists ws_items (id int primary key, label text)');
      await client.query('begin');
      await client.query('insert into ws_items values ($1, $2)', [1, 'kept']);
      await client.query('commit');
      await client.query('begin');
      await client.query('insert into ws_items values ($1, $2)', [2, 'rolled back']);
      await client.query('rollback');
      const { rows } = await client.query('select id, label from ws_items order by id');
      return rows;
    } finally {
      client.release();
      await pool.end();
    }
  },

  // LISTEN on one Client, NOTIFY from another; returns the notification received.
  async listen() {
    const listener = new Client(connectionString);
    const notifier = new Client(connectionString);
    await listener.connect();
    await notifier.connect();
    try {
      const received = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no notification within 10 s')), 10_000);
        listener.on('notification', (message) => {
          clearTimeout(timer);
          resolve({ channel: message.channel, payload: message.payload });
        });
      });
      await listener.query('listen ws_channel');
      await notifier.query("select pg_notify('ws_channel', 'hello over websocket')");
      return await received;
    } finally {
      await listener.end();
      await notifier.end();
    }
  },
};

try {
  const run = scenarios[scenario];
  if (!run) {
    throw new Error(`unknown scenario ${scenario}`);
  }
  console.log(JSON.stringify(await run()));
} catch (error) {
  console.error(`${error.code ?? 'ERROR'}: ${error.message}`);
  process.exit(1);
}
