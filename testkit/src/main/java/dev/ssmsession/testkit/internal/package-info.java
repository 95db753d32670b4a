/**
 * Implementation of the testkit; not an API. The simulated agent ({@code SimulatedAgent},
 * {@code AgentChannel}, the plugins) is written apart from the protocol module's engine on
 * purpose, so that a bug shared by both ends cannot hide in the client's integration tests.
 */
package dev.ssmsession.testkit.internal;
