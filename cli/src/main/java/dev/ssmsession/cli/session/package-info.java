/**
 * The commands' view of sessions: {@link dev.ssmsession.cli.session.Sessions} opens the kinds the commands need
 * (a shell, a command, stdio, a {@link dev.ssmsession.cli.session.LocalForward local forward}) from a
 * {@link dev.ssmsession.cli.session.Connection} and a {@link dev.ssmsession.cli.session.SessionSpec}.
 * {@code ClientSessions} implements it over the client library, which stays the only place that knows the protocol;
 * the commands' unit tests use an in-memory implementation, and the end-to-end tests run the launchers against the
 * testkit. Names differ from the library's on purpose ({@code LocalForward}, not {@code PortForward}) so a reader
 * never has to check which of two same-named types a file imports.
 */
package dev.ssmsession.cli.session;
