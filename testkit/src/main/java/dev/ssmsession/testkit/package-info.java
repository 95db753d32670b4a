/**
 * A local Session Manager for tests and demos: {@link dev.ssmsession.testkit.LocalSessionManager}
 * serves the SSM and KMS JSON APIs and the ssmmessages WebSocket on loopback, with a simulated
 * agent per session (PTY shell, commands with exit codes, port forwarding in basic and smux mode,
 * stdio, KMS encryption), the service's rate cap, seeded {@link dev.ssmsession.testkit.FaultPlan
 * fault injection} and {@link dev.ssmsession.testkit.Transcript transcripts} to record and replay.
 * {@link dev.ssmsession.testkit.LocalSessionManagerExtension} runs it inside JUnit 5 tests.
 */
package dev.ssmsession.testkit;
