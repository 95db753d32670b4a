/**
 * The browser terminal: the page ({@link dev.ssmsession.web.WebAssets}, xterm.js and a little script of ours), the
 * bridge from any WebSocket-like endpoint to a shell ({@link dev.ssmsession.web.WebTerminalBridge}), and a small
 * local server ({@link dev.ssmsession.web.WebTerminalServer}) for {@code ssm-session web}.
 *
 * <p>Why a hand-written HTTP/1.1 + RFC 6455 server (in {@code internal}, a few hundred lines) rather than a library:
 * the page and its WebSocket must share one origin (one port), because the socket is accepted only from a page of the
 * server itself. Java-WebSocket's server answers upgrades only and cannot serve the page; the JDK's {@code HttpServer}
 * serves pages but cannot hand over a connection for an upgrade; an embedded servlet container would be the largest
 * dependency of the project for a loopback page with one socket per tab. The server side of the protocol is small:
 * masked frames in, unmasked frames out, no extensions, one thread per connection.
 */
package dev.ssmsession.web;
