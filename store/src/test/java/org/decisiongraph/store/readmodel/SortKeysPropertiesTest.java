package org.decisiongraph.store.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.decisiongraph.core.json.CodePointOrder;

class SortKeysPropertiesTest {

    @Provide
    Arbitrary<String> mixed() {
        // ASCII, Latin-1, CJK, private use / specials (U+E000..U+FFFF) and surrogate halves, paired or not
        return Arbitraries.strings()
                .withChars('a', 'b', ':', '\u00e9', '\u4e2d', '\uE000', '\uFFFD', '\uFFFF', '\uD83D', '\uDE00', '\uD800', '\uDFFF')
                .ofMaxLength(6);
    }

    @Property(tries = 1000)
    void naturalOrderOfSortKeysIsCodePointOrder(@ForAll("mixed") String a, @ForAll("mixed") String b) {
        assertThat(Integer.signum(SortKeys.of(a).compareTo(SortKeys.of(b))))
                .isEqualTo(Integer.signum(CodePointOrder.INSTANCE.compare(a, b)));
    }

    @Property(tries = 200)
    void stringsBelowTheSurrogatesAreTheirOwnKey(@ForAll("mixed") String a) {
        String plain = a.chars().filter(c -> c < 0xD800)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        assertThat(SortKeys.of(plain)).isSameAs(plain);
    }
}
