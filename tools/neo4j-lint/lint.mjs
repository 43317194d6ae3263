// Lints Cypher statements with Neo4j's own Cypher front end (its parser and
// semantic analysis, compiled to JavaScript), offline: no server is needed.
//
// stdin:  {"dbSchema": {labels, relationshipTypes, propertyKeys, ...},
//          "statements": [{"name": str, "cypher": str, "params": [str, ...]}, ...]}
// stdout: {"package": "<name>@<version>", "functions": N, "procedures": N,
//          "results": [{"name", "cypher", "diagnostics": [{severity, message, line, column}]}]}
//
// Each statement is linted with the given dbSchema plus its own parameters and
// the catalogue of Neo4j 5 built-in functions and procedures described below,
// so an undeclared parameter, an unknown function or procedure (a FalkorDB-only
// `algo.*` or `db.idx.fulltext.*`), an unknown label or relationship type, a
// deprecated feature or a syntax error is a diagnostic.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
// The package's CommonJS build: its ES module build has extensionless imports
// that Node cannot resolve.
const { lintCypherQuery, testData } = require('@neo4j-cypher/language-support');
// The package does not export its package.json: read it beside its entry point.
const entry = require.resolve('@neo4j-cypher/language-support'); // <pkg>/dist/cjs/index.cjs
const { name, version } = JSON.parse(
  readFileSync(join(dirname(entry), '..', '..', 'package.json'), 'utf8'),
);

const CYPHER_5 = 'CYPHER 5';
// Plugins a plain Neo4j 5 server (the docker-compose service) does not have.
const PLUGIN_NAMESPACES = ['apoc.', 'gds.'];

/** The Neo4j 5 functions and procedures the package ships (the catalogue of a
 * Neo4j 5 server's SHOW FUNCTIONS / SHOW PROCEDURES, exported as its test
 * schema), without the APOC and GDS plugins. */
function neo4j5Catalogue(kind) {
  const all = testData.mockSchema[kind][CYPHER_5];
  const builtIn = Object.entries(all).filter(
    ([name]) => !PLUGIN_NAMESPACES.some((ns) => name.startsWith(ns)),
  );
  return Object.fromEntries(builtIn);
}

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function lint(statement, base, functions, procedures) {
  const dbSchema = {
    ...base,
    defaultLanguage: CYPHER_5,
    functions: { [CYPHER_5]: functions },
    procedures: { [CYPHER_5]: procedures },
    // Declared means "not undefined"; the value is not used for checking.
    parameters: Object.fromEntries(statement.params.map((p) => [p, null])),
  };
  const diagnostics = lintCypherQuery(statement.cypher, dbSchema).map((d) => ({
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  }));
  return { name: statement.name, cypher: statement.cypher, diagnostics };
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const functions = neo4j5Catalogue('functions');
const procedures = neo4j5Catalogue('procedures');
const results = input.statements.map((s) => lint(s, input.dbSchema, functions, procedures));
process.stdout.write(
  JSON.stringify({
    package: `${name}@${version}`,
    functions: Object.keys(functions).length,
    procedures: Object.keys(procedures).length,
    results,
  }),
);
