package org.decisiongraph.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class CodePointOrderPropertiesTest {

    @Property(tries = 500)
    void ordersLikeCodePointArrays(@ForAll String a, @ForAll String b) {
        int expected = Integer.signum(java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray()));
        assertThat(Integer.signum(CodePointOrder.INSTANCE.compare(a, b))).isEqualTo(expected);
    }
}
