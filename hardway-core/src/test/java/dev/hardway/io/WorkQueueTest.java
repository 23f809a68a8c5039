package dev.hardway.io;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkQueueTest {
    @Test
    void results_comeInItemOrder_whateverThreadRanThem() {
        List<Integer> squares = new WorkQueue(3).map(500, i -> i * i);

        assertEquals(IntStream.range(0, 500).map(i -> i * i).boxed().toList(), squares);
    }

    @Test
    void aSlowItem_holdsOnlyItsOwnThread_theOtherTakesEveryRemainingItem() throws InterruptedException {
        // item 0 waits until all 99 others are done: a queue that had split the items into fixed chunks up front
        // (as a parallel stream does) leaves some of them behind item 0 on its thread, and the latch times out
        CountDownLatch others = new CountDownLatch(99);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Boolean> finishedFirst = new WorkQueue(2).map(100, i -> {
            threads.add(Thread.currentThread().getName());
            if (i > 0) {
                others.countDown();
                return true;
            }
            try {
                return others.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertTrue(finishedFirst.get(0), "the 99 other items ran while item 0 was busy");
        assertEquals(2, threads.size(), "both threads worked: " + threads);
    }

    @Test
    void aFailure_stopsHandingOutItems_finishesThoseTaken_andThrowsTheFirstFailingItems() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> new WorkQueue(2).map(1000,
                i -> {
                    running.incrementAndGet();
                    try {
                        ran.incrementAndGet();
                        if (i == 10 || i == 11) {
                            throw new IllegalStateException("item " + i);
                        }
                        sleep(5); // all 1000 would take seconds: the bound below holds on a loaded machine too
                        return i;
                    } finally {
                        running.decrementAndGet();
                    }
                }));

        assertEquals("item 10", thrown.getMessage());
        assertEquals(0, running.get(), "nothing runs on after map throws");
        assertTrue(ran.get() < 500, "no more items after the failure: " + ran.get() + " ran");
    }

    @Test
    void anError_isRethrownAsItself() {
        OutOfMemoryError oom = new OutOfMemoryError("test");
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> new WorkQueue(2).map(4, i -> {
            if (i == 2) {
                throw oom;
            }
            return i;
        })));
    }

    @Test
    void noItems_andOneThread_work() {
        assertEquals(List.of(), new WorkQueue(4).map(0, i -> i));
        assertEquals(List.of(0, 1, 2), new WorkQueue(1).map(3, i -> i));
        assertThrows(IllegalArgumentException.class, () -> new WorkQueue(0));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
