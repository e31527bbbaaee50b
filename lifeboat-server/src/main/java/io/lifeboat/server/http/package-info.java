/**
 * The server's HTTP listener, on the JDK's {@code com.sun.net.httpserver}: health, readiness,
 * metrics and a small snapshot API.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>Request</th><th>Answer</th><th>Token</th></tr>
 *   <tr><td>{@code GET /healthz}</td><td>200 {@code ok} while the process serves</td><td>no</td></tr>
 *   <tr><td>{@code GET /readyz}</td><td>200 {@code ok}, or 503 with one problem a line</td><td>no</td></tr>
 *   <tr><td>{@code GET /metrics}</td><td>200, Prometheus text format 0.0.4</td><td>no</td></tr>
 *   <tr><td>{@code GET /api/v1/snapshots}</td><td>200 {@code {"snapshots":[…]}}, newest first</td><td>yes</td></tr>
 *   <tr><td>{@code GET /api/v1/snapshots/<name>}</td><td>200, 400 bad name, 404</td><td>yes</td></tr>
 *   <tr><td>{@code POST /api/v1/snapshots}</td><td>201 with {@code Location}, 409 while one runs,
 *       500</td><td>yes</td></tr>
 * </table>
 *
 * <p>Probes and metrics go without a token, as Kubernetes probes and Prometheus scrapers expect;
 * they reveal no snapshot names, keys or endpoints. Every {@code /api/} request needs
 * {@code Authorization: Bearer <token>}, the token being the first line of the configured token
 * file; a missing or wrong token gets 401 with {@code WWW-Authenticate: Bearer} and nothing else.
 * Snapshot objects carry the fields of the {@code <name>.json} metadata ({@code lifeboat.snapshot/v1})
 * plus {@code locations}; errors are {@code {"error":"…"}}. Request bodies are ignored.
 */
package io.lifeboat.server.http;
