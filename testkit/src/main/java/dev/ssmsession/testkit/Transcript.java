package dev.ssmsession.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ssmsession.protocol.payload.Payloads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every binary frame of one session, both ways, as JSON lines: a header line
 * {@code {"kind":"session","document":...,"target":...,"parameters":{...},"agentVersion":...,"encrypted":false}}
 * then one line per frame {@code {"kind":"frame","t":<ms since the session's first frame>,"dir":"client"|"agent","hex":"..."}}.
 * Client frames are recorded as received, agent frames as sent. The OpenDataChannel text frame is
 * not recorded: it carries the token.
 */
public final class Transcript {
    /** Who sent a frame. */
    public enum Direction {
        CLIENT_TO_AGENT("client"), AGENT_TO_CLIENT("agent");

        private final String wire;

        Direction(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Direction of(String text) {
            for (Direction d : values()) {
                if (d.wire.equals(text)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("transcript direction '" + text + "' is not client or agent");
        }
    }

    /** What the session was. */
    public record Header(String documentName, String target, Map<String, String> parameters, String agentVersion,
                         boolean encrypted) {
        public Header {
            Objects.requireNonNull(documentName, "documentName");
            parameters = Map.copyOf(parameters);
        }
    }

    /** One frame; {@code bytes} is the whole ClientMessage. */
    public record Frame(long atMillis, Direction direction, byte[] bytes) {
        @Override
        public String toString() {
            return "Frame[" + atMillis + "ms " + direction + " " + bytes.length + " bytes]";
        }
    }

    private final Header header;
    private final List<Frame> frames;

    public Transcript(Header header, List<Frame> frames) {
        this.header = Objects.requireNonNull(header, "header");
        this.frames = List.copyOf(frames);
    }

    public Header header() {
        return header;
    }

    public List<Frame> frames() {
        return frames;
    }

    /** The header line. */
    public static String headerLine(Header h) {
        ObjectNode n = Payloads.mapper().createObjectNode();
        n.put("kind", "session");
        n.put("document", h.documentName());
        n.put("target", h.target());
        ObjectNode p = n.putObject("parameters");
        new java.util.TreeMap<>(h.parameters()).forEach(p::put);
        n.put("agentVersion", h.agentVersion());
        n.put("encrypted", h.encrypted());
        return n.toString();
    }

    /** One frame line. */
    public static String frameLine(Frame f) {
        ObjectNode n = Payloads.mapper().createObjectNode();
        n.put("kind", "frame");
        n.put("t", f.atMillis());
        n.put("dir", f.direction().wire());
        n.put("hex", HexFormat.of().formatHex(f.bytes()));
        return n.toString();
    }

    public void write(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add(headerLine(header));
        frames.forEach(f -> lines.add(frameLine(f)));
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write transcript " + file, e);
        }
    }

    public static Transcript read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcript " + file, e);
        }
    }

    /** Reads a transcript from a class-path resource, e.g. one of the committed fixtures. */
    public static Transcript fromResource(String name) {
        InputStream in = Transcript.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalArgumentException("no transcript resource " + name);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(r.lines().toList(), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcript " + name, e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the line that is not a valid header or frame
     */
    public static Transcript parse(List<String> lines, String source) {
        Header header = null;
        List<Frame> frames = new ArrayList<>();
        int no = 0;
        for (String line : lines) {
            no++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = Payloads.mapper().readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(source + ":" + no + ": not JSON");
            }
            String kind = n.path("kind").asText();
            if ("session".equals(kind)) {
                Map<String, String> params = new LinkedHashMap<>();
                n.path("parameters").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                header = new Header(n.path("document").asText(), n.path("target").asText(), params,
                        n.path("agentVersion").asText(), n.path("encrypted").asBoolean(false));
            } else if ("frame".equals(kind)) {
                try {
                    frames.add(new Frame(n.path("t").asLong(), Direction.of(n.path("dir").asText()),
                            HexFormat.of().parseHex(n.path("hex").asText())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ":" + no + ": " + e.getMessage(), e);
                }
            } else {
                throw new IllegalArgumentException(source + ":" + no + ": unknown kind '" + kind + "'");
            }
        }
        if (header == null) {
            throw new IllegalArgumentException(source + ": no session header line");
        }
        return new Transcript(header, frames);
    }
}
