package dev.loudsync.core.internal;

import dev.loudsync.core.RequestRejectedException;
import dev.loudsync.core.SerialExecutor;
import dev.loudsync.core.TimeSource;
import dev.loudsync.core.protocol.ErrorCode;
import dev.loudsync.core.protocol.HostMessage;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the messages members send with a request {@code id} (1.1): {@code ACK {replyTo, result}}
 * or {@code ERROR {code, message, replyTo}}, exactly once, after the handling.
 *
 * <p>An answer is queued on the session's executor behind whatever the handling queued there, so
 * messages the handling sent to the sender reach it first. A handling that returns a
 * {@link CompletionStage} is answered when the stage completes, or with {@code SERVER_ERROR "Timed
 * out"} after {@link #TIMEOUT}, whichever comes first; one timer serves all of them, since they
 * all have the same timeout ({@link Deadlines}).
 *
 * <p>Without an id, success is silent, a rejection is still answered (without {@code replyTo}),
 * and an unexpected failure is only logged. Confined to the session's executor.
 */
final class Requests {

    /** How long a handling may run before it is answered {@code SERVER_ERROR "Timed out"}. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(Requests.class);

    private final String sessionId;
    private final SerialExecutor executor;
    private final Announcer announcer;
    /** Handlings with an id still running. */
    private final Deadlines<Running> running;

    private static final class Running {
        final MemberState sender;
        final String id;
        boolean answered;

        Running(MemberState sender, String id) {
            this.sender = sender;
            this.id = id;
        }
    }

    Requests(String sessionId, SerialExecutor executor, TimeSource time, Announcer announcer) {
        this.sessionId = sessionId;
        this.executor = executor;
        this.announcer = announcer;
        this.running = new Deadlines<>(executor, time, TIMEOUT, r -> r.answered, r -> {
            r.answered = true;
            answer(r.sender, r.id, new HostMessage.Error(ErrorCode.SERVER_ERROR, "Timed out"));
        });
    }

    /**
     * Runs a handling of a message of {@code type} from {@code sender} and answers it: its result
     * (a value, null, or a stage of one) for an {@code ACK}, a {@link RequestRejectedException} for
     * an {@code ERROR} with its code, anything else for {@code SERVER_ERROR}.
     *
     * @param id the message's request id, or null
     */
    void run(MemberState sender, String type, String id, Supplier<Object> handling) {
        Object result;
        try {
            result = handling.get();
        } catch (RuntimeException e) {
            answerLater(sender, id, failure(type, e));
            return;
        }
        if (!(result instanceof CompletionStage)) {
            answerLater(sender, id, success(id, result));
            return;
        }
        Running r = new Running(sender, id);
        if (id != null) {
            running.add(r);
        }
        ((CompletionStage<?>) result).whenComplete((value, error) -> executor.execute(() -> {
            if (!r.answered) {
                r.answered = true;
                answer(sender, id, error == null ? success(id, value) : failure(type, error));
            }
        }));
    }

    /** Answers a message now, before anything the caller does next (an {@code END_SESSION}). */
    void acknowledgeNow(MemberState sender, String id) {
        answer(sender, id, success(id, null));
    }

    /** Refuses a message now: {@code ERROR} with its {@code replyTo}, if it had an id. */
    void refuse(MemberState sender, String id, ErrorCode code, String message) {
        answer(sender, id, HostMessage.Error.replyingTo(id, code, message));
    }

    private HostMessage success(String id, Object result) {
        return id == null ? null : new HostMessage.Ack(id, result);
    }

    private HostMessage failure(String type, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RequestRejectedException) {
            RequestRejectedException rejected = (RequestRejectedException) cause;
            return new HostMessage.Error(rejected.code(), rejected.getMessage());
        }
        log.warn("Handler for {} in session {} failed", type, sessionId, cause);
        return new HostMessage.Error(ErrorCode.SERVER_ERROR, "Internal error");
    }

    private void answerLater(MemberState sender, String id, HostMessage answer) {
        if (answer != null) {
            executor.execute(() -> answer(sender, id, answer));
        }
    }

    /** Sends an answer, with {@code replyTo} set; a plain SERVER_ERROR without an id is not sent. */
    private void answer(MemberState sender, String id, HostMessage answer) {
        if (answer instanceof HostMessage.Error) {
            HostMessage.Error e = (HostMessage.Error) answer;
            if (id == null && e.code() == ErrorCode.SERVER_ERROR) {
                return;
            }
            answer = new HostMessage.Error(e.code(), e.message(), e.details(), id);
        }
        if (answer == null) {
            return;
        }
        try {
            announcer.send(sender, answer);
        } catch (RuntimeException e) {
            // an ACK whose result the transport cannot write as JSON: the handler's mistake
            log.warn("Could not send the answer to {} in session {}", id, sessionId, e);
            announcer.send(sender, HostMessage.Error.replyingTo(id, ErrorCode.SERVER_ERROR, "Internal error"));
        }
    }

    /** The session closes: no answer is due any more. */
    void stop() {
        running.stop();
    }
}
