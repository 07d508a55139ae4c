package dev.loudsync.core;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who gets a broadcast, and how (1.1): every member or the named ones, less some, and whether
 * the message may be dropped. Immutable; the methods return copies.
 *
 * <pre>{@code
 * session.broadcast("CHAT", payload, Delivery.everyone().excluding(sender.id()));
 * session.broadcast("TYPING", payload, Delivery.everyone().excluding(sender.id()).droppable());
 * session.broadcast("HINT", payload, Delivery.to(List.of("d-1", "d-2")));
 * }</pre>
 */
public final class Delivery {

    private static final Delivery EVERYONE = new Delivery(null, Set.of(), false);

    private final Set<String> only;
    private final Set<String> except;
    private final boolean droppable;

    private Delivery(Set<String> only, Set<String> except, boolean droppable) {
        this.only = only;
        this.except = except;
        this.droppable = droppable;
    }

    /** Every connected member. */
    public static Delivery everyone() {
        return EVERYONE;
    }

    /** The named members that are connected. */
    public static Delivery to(Collection<String> deviceIds) {
        return new Delivery(Set.copyOf(deviceIds), Set.of(), false);
    }

    /** The same, but not to {@code deviceIds}. */
    public Delivery excluding(String... deviceIds) {
        Set<String> more = new HashSet<>(except);
        for (String id : deviceIds) {
            more.add(Objects.requireNonNull(id, "deviceId"));
        }
        return new Delivery(only, Set.copyOf(more), droppable);
    }

    /**
     * The same, but volatile: dropped for a member whose connection cannot take it at once, never
     * queued, and never counted against a slow connection. For what is stale a moment later:
     * typing indicators, position ticks.
     */
    public Delivery droppable() {
        return new Delivery(only, except, true);
    }

    /** Whether {@code deviceId} is among the recipients. */
    public boolean includes(String deviceId) {
        return (only == null || only.contains(deviceId)) && !except.contains(deviceId);
    }

    public boolean isDroppable() {
        return droppable;
    }

    /** Whether this is every member, with nobody excluded. */
    public boolean isEveryone() {
        return only == null && except.isEmpty();
    }

    @Override
    public String toString() {
        return (only == null ? "everyone" : "to " + only) + (except.isEmpty() ? "" : " except " + except)
                + (droppable ? ", droppable" : "");
    }
}
