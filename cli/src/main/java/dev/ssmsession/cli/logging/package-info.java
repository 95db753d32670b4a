/**
 * The CLI's logging backend: an SLF4J 2 provider of a few classes instead of Logback's hundreds (whose set-up cost a
 * cold plugin ~0.1 s and ~170 classes before the first byte of a session). Loggers answer {@code isDebugEnabled()}
 * from a threshold per name prefix; a line goes to one sink: nowhere (until the CLI has read its options, so stdout
 * stays session data), stderr ({@code --debug}), or a size-rotated file. Configured by {@code dev.ssmsession.cli.Logging}.
 */
package dev.ssmsession.cli.logging;
