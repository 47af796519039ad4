// Runs one query with node-postgres the way an application does: new pg.Client({ connectionString }) with the
// URI exactly as given. Prints the rows as JSON; on failure prints the error's code and message and exits 1.
import pg from 'pg';

const [connectionString, sql] = process.argv.slice(2);
const client = new pg.Client({ connectionString });
try {
  await client.connect();
  const result = await client.query(sql);
  console.log(JSON.stringify(result.rows));
  await client.end();
} catch (error) {
  console.error(`${error.code ?? 'ERROR'}: ${error.message}`);
  process.exit(1);
}
