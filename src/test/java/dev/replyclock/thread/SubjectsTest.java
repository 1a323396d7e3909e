package dev.replyclock.thread;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SubjectsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Angebot Wartungsvertrag für 2024|angebot wartungsvertrag für 2024|false",
            "AW: Angebot  Wartungsvertrag|angebot wartungsvertrag|true",
            "Re: RE: Fwd: quote|quote|true",
            "RE [2] : quote|quote|true",
            "Re(3): quote|quote|true",
            "[sales] Re: quote|quote|true",
            "[sales] quote|quote|false",
            "回复：报价|报价|true",
            "SV: VS: Tarjous|tarjous|true",
            "Revenue: numbers|revenue: numbers|false",
            "Re:|''|true",
            "Tr: odp: ynt: x|x|true",
    })
    void normalises(String subject, String expected, boolean prefixed) {
        Subjects.Normalised n = Subjects.normalise(subject);
        assertEquals(expected, n.text());
        assertEquals(prefixed, n.replyOrForward());
    }
}
