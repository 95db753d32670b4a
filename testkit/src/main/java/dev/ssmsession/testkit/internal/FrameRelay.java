package dev.ssmsession.testkit.internal;

import dev.ssmsession.testkit.FrameDirection;
import java.util.function.Consumer;
import org.java_websocket.WebSocket;

/**
 * The service's relay between client and agent for one session: passes each frame on, possibly
 * late, twice, never, or altered (fault injection). The default passes everything unchanged.
 */
public interface FrameRelay {
    FrameRelay PASS_THROUGH = (direction, frame, next) -> next.accept(frame);

    void forward(FrameDirection direction, byte[] frame, Consumer<byte[]> next);

    /** A client connection became the session's wire. */
    default void onAttach(WebSocket ws) {
    }

    /** A frame was written to the client's WebSocket. */
    default void afterSend(FrameDirection direction, byte[] frame) {
    }
}
