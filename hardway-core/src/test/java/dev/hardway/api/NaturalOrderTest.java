package dev.hardway.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class NaturalOrderTest {

    @Test
    void sort_numberedNodes_comeInCountingOrder() {
        List<String> names = new ArrayList<>(List.of("worker-19", "worker-2", "controller-0", "worker-10",
                "worker-1", "worker-2a", "worker-100", "worker-02"));

        names.sort(NaturalOrder.INSTANCE);

        assertEquals(List.of("controller-0", "worker-1", "worker-02", "worker-2", "worker-2a", "worker-10",
                "worker-19", "worker-100"), names);
    }

    @Test
    void compare_onlyLeadingZerosDiffer_isStillATotalOrderConsistentWithEquals() {
        assertNotEquals(0, NaturalOrder.INSTANCE.compare("w-02", "w-2"));
        assertEquals(-NaturalOrder.INSTANCE.compare("w-02", "w-2"), NaturalOrder.INSTANCE.compare("w-2", "w-02"));
        assertEquals(0, NaturalOrder.INSTANCE.compare("w-2", "w-2"));
    }

    @Test
    void compare_numbersBeyondLong_compareByValue() {
        assertEquals(-1, Integer.signum(NaturalOrder.INSTANCE.compare("n-99999999999999999999", "n-100000000000000000000")));
    }
}
