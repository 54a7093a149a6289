package org.decisiongraph.projection.runtime;

import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Keeps a background task to a share of one core. The task calls {@link #run()} once per small unit of work (a
 * digested row); every {@value #CHECK_EVERY} calls the pacer looks at the clock, and once a slice of work has run
 * it sleeps long enough that work takes at most {@code share} of the wall time. Wall time is counted rather than
 * CPU time, so a task that a busy machine descheduled sleeps more, never less. It stops sleeping once
 * {@code hurry} says so or the thread is interrupted (the flag stays set), so a closing runtime is not kept waiting.
 */
final class Pacer implements Runnable {
    static final int CHECK_EVERY = 64;

    private final long sliceNanos;
    private final double pausePerWork;
    private final LongSupplier clock;
    private final LongConsumer sleeper;
    private final BooleanSupplier hurry;
    private long sliceStart;
    private long pausedNanos;
    private int calls;
    private boolean stopped;

    /** A pacer on the system clock that sleeps with {@link Thread#sleep}. */
    static Pacer of(double share, long sliceNanos, BooleanSupplier hurry) {
        return new Pacer(share, sliceNanos, System::nanoTime, Pacer::sleep, hurry);
    }

    Pacer(double share, long sliceNanos, LongSupplier clock, LongConsumer sleeper, BooleanSupplier hurry) {
        if (!(share > 0 && share <= 1) || sliceNanos < 1) {
            throw new IllegalArgumentException("share must be in (0, 1] and slice positive, got " + share + ", " + sliceNanos);
        }
        this.sliceNanos = sliceNanos;
        this.pausePerWork = (1 - share) / share;
        this.clock = clock;
        this.sleeper = sleeper;
        this.hurry = hurry;
        this.sliceStart = clock.getAsLong();
    }

    @Override
    public void run() {
        if (stopped || ++calls % CHECK_EVERY != 0) {
            return;
        }
        long now = clock.getAsLong();
        long worked = now - sliceStart;
        if (worked < sliceNanos) {
            return;
        }
        if (hurry.getAsBoolean()) {
            stopped = true;
            return;
        }
        long pause = (long) (worked * pausePerWork);
        if (pause > 0) {
            try {
                sleeper.accept(pause);
            } catch (PacingInterrupted e) {
                stopped = true;
            }
        }
        long after = clock.getAsLong();
        pausedNanos += after - now;
        sliceStart = after;
    }

    /** Time spent sleeping so far (the task's own time is the elapsed time minus this). */
    long pausedNanos() {
        return pausedNanos;
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PacingInterrupted();
        }
    }

    /** The sleep was interrupted: pacing ends, the work goes on at full speed. */
    static final class PacingInterrupted extends RuntimeException {
        PacingInterrupted() {
            super(null, null, false, false);
        }
    }
}
