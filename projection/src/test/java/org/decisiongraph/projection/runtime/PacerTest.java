package org.decisiongraph.projection.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class PacerTest {
    /** A fake clock: every unit of work takes {@code workNanos}; a sleep moves the clock by its length. */
    private static final class FakeTime {
        long now;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    @Test
    void workTakesAtMostItsShareOfTheWallTime() {
        FakeTime t = new FakeTime();
        Pacer pacer = new Pacer(0.25, 2_000_000, () -> t.now, t::sleep, () -> false);
        long work = 0;
        for (int i = 0; i < 100_000; i++) {
            t.now += 1_000; // 1 µs of work per row
            work += 1_000;
            pacer.run();
        }
        // 100 ms of work at a quarter share: 300 ms of pauses, give or take the unfinished last slice
        assertThat(t.now).isEqualTo(work + pacer.pausedNanos());
        assertThat(pacer.pausedNanos()).isBetween(3 * work - 3 * 2_100_000, 3 * work);
        // each pause follows a slice of at least 2 ms (checked every 64 rows)
        assertThat(t.sleeps).isNotEmpty().allSatisfy(s -> assertThat(s).isBetween(3 * 2_000_000L, 3 * 2_064_000L));
    }

    @Test
    void noPauseBeforeASliceHasRun() {
        FakeTime t = new FakeTime();
        Pacer pacer = new Pacer(0.5, 10_000_000, () -> t.now, t::sleep, () -> false);
        for (int i = 0; i < 1_000; i++) {
            t.now += 1_000; // 1 ms in all, a tenth of a slice
            pacer.run();
        }
        assertThat(t.sleeps).isEmpty();
        assertThat(pacer.pausedNanos()).isZero();
    }

    @Test
    void aFullShareNeverSleeps() {
        FakeTime t = new FakeTime();
        Pacer pacer = new Pacer(1.0, 1_000, () -> t.now, t::sleep, () -> false);
        for (int i = 0; i < 10_000; i++) {
            t.now += 1_000;
            pacer.run();
        }
        assertThat(t.sleeps).isEmpty();
    }

    @Test
    void stopsPausingWhenToldToHurry() {
        FakeTime t = new FakeTime();
        AtomicBoolean closing = new AtomicBoolean();
        Pacer pacer = new Pacer(0.25, 1_000_000, () -> t.now, t::sleep, closing::get);
        for (int i = 0; i < 10_000; i++) {
            t.now += 1_000;
            pacer.run();
        }
        int before = t.sleeps.size();
        assertThat(before).isPositive();
        closing.set(true);
        for (int i = 0; i < 10_000; i++) {
            t.now += 1_000;
            pacer.run();
        }
        assertThat(t.sleeps).hasSize(before);
    }

    @Test
    void anInterruptedSleepEndsPacingAndKeepsTheFlag() throws InterruptedException {
        Pacer pacer = Pacer.of(0.01, 1, () -> false);
        boolean[] flag = new boolean[1];
        int[] rowsDone = new int[1];
        Thread worker = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            for (int i = 0; i < 1_000; i++) {
                pacer.run(); // the first pause sees the interrupt, every later call returns at once
                rowsDone[0]++;
            }
            flag[0] = Thread.currentThread().isInterrupted();
        });
        worker.join(10_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(rowsDone[0]).isEqualTo(1_000);
        assertThat(flag[0]).isTrue();
    }

    @Test
    void rejectsAShareOutsideZeroToOne() {
        assertThatThrownBy(() -> Pacer.of(0, 1, () -> false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pacer.of(1.5, 1, () -> false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pacer.of(0.5, 0, () -> false)).isInstanceOf(IllegalArgumentException.class);
    }
}
