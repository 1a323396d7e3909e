package dev.replyclock.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.replyclock.domain.AutomationSign;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderParserTest {

    private static final Place INBOX = new Place("sales-inbox", "inbox", true);
    private final HeaderParser parser = new HeaderParser("X-Replyclock-Rep");

    private MailMessage parse(String headers) throws UnreadableMessageException {
        return parser.parse(headers.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), INBOX, null);
    }

    private MailMessage parseBytes(byte[] headers) throws UnreadableMessageException {
        return parser.parse(headers, INBOX, null);
    }

    private static byte[] concat(String a, byte[] b, String c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        out.writeBytes(c.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void nulBytesAndEncodedNulsAreDroppedFromHeaderText() throws Exception {
        MailMessage m = parseBytes(concat("From: a@x.example\r\nMessage-ID: <n\u0000ul@x.example>\r\nSubject: Quo",
                new byte[]{0}, "te =?utf-8?q?for=00_you?=\r\n"));
        assertEquals("Quote for you", m.subject(), "PostgreSQL's text cannot hold a NUL: none reaches the store");
        assertEquals("nul@x.example", m.id());
    }

    // ---- Message-ID and references

    @Test
    void bareReferenceTokensCountOnlyWhenShapedLikeAnId() throws Exception {
        MailMessage gnus = parse("From: a@x.example\nIn-Reply-To: yyyy@spamassassin.taint.org's message of \"Tue, 27 Aug 2002\"\n");
        assertEquals(List.of(), gnus.references(), "the domain holds a quote: no id (SPEC section 13, scenario 21)");
        MailMessage bare = parse("From: a@x.example\nIn-Reply-To: 87e5f6a7b8.fsf@Sand-Labs.example\n"
                + "References: x@y.org, (comment) a\"b@c.example 9@host- ok.1@a-b.example\n");
        assertEquals(List.of("87e5f6a7b8.fsf@sand-labs.example", "ok.1@a-b.example"), bare.references(),
                "a comma or a quote in the local part, a domain ending in a hyphen: no id");
        MailMessage bracketed = parse("From: a@x.example\nIn-Reply-To: <weird id's@x> bare@x.example\n");
        assertEquals(List.of("weird id's@x"), bracketed.references(), "<...> tokens are taken as they are, and only they");
    }

    @Test
    void foldedMessageIdWithBlanks() throws Exception {
        MailMessage m = parse("From: a@x.example\nMessage-ID:\n   <a1b2c3d4.alice@ACME.example>  \nSubject: s\n");
        assertEquals("a1b2c3d4.alice@acme.example", m.id());
    }

    @Test
    void messageIdKeepsLocalPartCaseAndSplitsAtLastAt() throws Exception {
        assertEquals("Odd@Local@acme.example", parse("Message-ID: <Odd@Local@ACME.Example>\n").id());
    }

    @Test
    void firstOfSeveralBracketedIds() throws Exception {
        assertEquals("one@x.example", parse("Message-ID: <one@X.example> <two@x.example>\n").id());
    }

    @Test
    void bracketlessIdIsWholeTrimmedValueEvenWithoutAt() throws Exception {
        assertEquals("abc@x.example", parse("Message-ID:   abc@X.EXAMPLE  \n").id());
        assertEquals("just-a-token", parse("Message-ID: just-a-token\n").id());
    }

    @Test
    void emptyBracketsGiveSyntheticId() throws Exception {
        assertTrue(parse("Message-ID: <>\nFrom: a@x.example\n").id().startsWith("synthetic-"));
    }

    @Test
    void inReplyToThenReferencesWithoutRepeats() throws Exception {
        MailMessage m = parse("Message-ID: <m@x>\nIn-Reply-To: <c@X.example> (John's message)\n"
                + "References: <a@x.example>\n <b@X.EXAMPLE> <c@x.example>\n");
        assertEquals(List.of("c@x.example", "a@x.example", "b@x.example"), m.references());
    }

    @Test
    void commaSeparatedReferences() throws Exception {
        assertEquals(List.of("a@x", "b@x"), parse("Message-ID: <m@x>\nReferences: <a@x>,<b@x>\n").references());
        // SPEC 13: bare tokens split at white space only, and "a@x," is not shaped like an id (its domain ends in ",")
        assertEquals(List.of("b@x"), parse("Message-ID: <m@x>\nReferences: a@x, b@x\n").references());
    }

    @Test
    void bracketlessReferenceTokensNeedAnAt() throws Exception {
        MailMessage m = parse("Message-ID: <m@x>\nIn-Reply-To: your message of today id123@HOST.example\n");
        assertEquals(List.of("id123@host.example"), m.references());
        assertEquals(List.of(), parse("Message-ID: <m@x>\nIn-Reply-To: nothing here\n").references());
    }

    // ---- synthetic id

    @Test
    void syntheticIdMatchesAnIndependentComputation() throws Exception {
        MailMessage m = parse("From: \"Bob\" <Bob@Client.Example>\nDate: Fri, 1 Mar 2024\n 10:00:00 +0100  \n"
                + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\nTo: Sales <SALES@acme.example>, x@y.example\n");
        String joined = "bob@client.example\0Fri, 1 Mar 2024 10:00:00 +0100\0Grüße\0sales@acme.example";
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
        assertEquals("synthetic-" + HexFormat.of().formatHex(hash).substring(0, 32), m.id());
    }

    @Test
    void syntheticIdWithMissingHeaders() throws Exception {
        MailMessage m = parse("Subject: only a subject\n");
        String joined = "\0\0only a subject\0";
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
        assertEquals("synthetic-" + HexFormat.of().formatHex(hash).substring(0, 32), m.id());
    }

    // ---- encoded words and raw bytes

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=|Grüße aus Köln",
        "=?utf-8?B?R3LDvMOfZQ==?=|Grüße",
        "=?ISO-8859-1?Q?R=E9ponse?=|Réponse",
        "=?iso-8859-1?b?Uulwb25zZQ==?=|Réponse",
        "=?windows-1252?Q?=93quoted=94_=80?=|“quoted” €",
        "=?x-no-such-charset?Q?abc?= tail|=?x-no-such-charset?Q?abc?= tail",
        "=?UTF-8?Q?a?= =?UTF-8?Q?b?=|ab",
        "Re: =?utf-8?q?caf=C3=A9?= ok|Re: café ok",
        "=?UTF-8?B?not*base64?=|=?UTF-8?B?not*base64?=",
        "=?UTF-8*de?Q?Hallo?=|Hallo",
    })
    void encodedWordsInSubjects(String raw, String decoded) throws Exception {
        assertEquals(decoded, parse("Message-ID: <m@x>\nSubject: " + raw + "\n").subject());
    }

    @Test
    void foldedEncodedWordsJoin() throws Exception {
        assertEquals("äö", parse("Message-ID: <m@x>\nSubject: =?UTF-8?B?w6Q=?=\n =?UTF-8?B?w7Y=?=\n").subject());
    }

    @Test
    void multibyteCharacterSplitAcrossEncodedWords() throws Exception {
        // "ü" = C3 BC, split into two B words
        assertEquals("xü", parse("Message-ID: <m@x>\nSubject: =?UTF-8?B?eMM=?= =?UTF-8?B?vA==?=\n").subject());
    }

    @Test
    void rawUtf8AndLatin1Bytes() throws Exception {
        MailMessage utf8 = parseBytes(concat("Message-ID: <m@x>\r\nSubject: ", "Grüße".getBytes(StandardCharsets.UTF_8), "\r\n"));
        assertEquals("Grüße", utf8.subject());
        MailMessage latin1 = parseBytes(concat("Message-ID: <m@x>\r\nSubject: ", "Grüße".getBytes(StandardCharsets.ISO_8859_1), "\r\n"));
        assertEquals("Grüße", latin1.subject());
    }

    @Test
    void eightBitJunkNeverFails() throws Exception {
        byte[] junk = {(byte) 0xff, (byte) 0xfe, 0x01, (byte) 0x80, (byte) 0xc3, 0x28};
        MailMessage m = parseBytes(concat("X-Junk: ", junk, "\r\nFrom: ") );
        assertEquals(List.of(), m.from());
        MailMessage n = parseBytes(concat("Message-ID: <m@x>\r\nSubject: a", junk, "b\r\nFrom: a@x.example\r\n"));
        assertEquals(List.of("a@x.example"), n.from());
        assertTrue(n.subject().startsWith("a") && n.subject().endsWith("b"));
    }

    @Test
    void foldedSubjectIsUnfolded() throws Exception {
        assertEquals("one two", parse("Message-ID: <m@x>\nSubject: one\n two\n").subject());
    }

    // ---- duplicates, stops, unreadable

    @Test
    void duplicateHeadersFirstWinsButToAndCcTakeAll() throws Exception {
        MailMessage m = parse("Message-ID: <first@x>\nMessage-ID: <second@x>\nSubject: one\nSubject: two\n"
                + "From: a@x.example\nFrom: b@x.example\nTo: t1@x.example\nCc: c1@x.example\nTo: t2@x.example\n"
                + "Cc: c2@x.example\n");
        assertEquals("first@x", m.id());
        assertEquals("one", m.subject());
        assertEquals(List.of("a@x.example"), m.from());
        assertEquals(List.of("t1@x.example", "t2@x.example"), m.to());
        assertEquals(List.of("c1@x.example", "c2@x.example"), m.cc());
    }

    @Test
    void stopsAtTheFirstEmptyLineAndIgnoresTheBody() throws Exception {
        MailMessage m = parse("Message-ID: <m@x>\nSubject: head\n\nSubject: body\nFrom: b@x.example\n");
        assertEquals("head", m.subject());
        assertEquals(List.of(), m.from());
        assertEquals("m@x", parser.parse("Message-ID: <m@x>\n\nFrom: b@x\n".getBytes(StandardCharsets.US_ASCII),
                INBOX, null).id());
    }

    @Test
    void mboxPostmarkLineAndNonHeaderLinesAreSkipped() throws Exception {
        MailMessage m = parse("From someone@x.example  Thu Aug 22 13:17:22 2002\nthis is no header\n"
                + "Message-ID: <m@x>\nSubject : obsolete blank before colon\n");
        assertEquals("m@x", m.id());
        assertEquals("obsolete blank before colon", m.subject());
    }

    @Test
    void noKeyHeaderIsUnreadable() {
        UnreadableMessageException e = assertThrows(UnreadableMessageException.class,
                () -> parse("THIS SOFTWARE IS DISTRIBUTED UNDER THE FOLLOWING LICENSE:\nX-Other: 1\n"));
        assertTrue(e.reason().contains("no From"));
        assertThrows(UnreadableMessageException.class, () -> parse(""));
    }

    @Test
    void anyOneKeyHeaderMakesItReadable() throws Exception {
        for (String h : List.of("From: a@x", "Date: x", "Message-ID: <m@x>", "Received: by x", "Subject: s")) {
            parse(h + "\n");
        }
    }

    // ---- addresses

    @Test
    void addressesInEveryHeaderLowerCased() throws Exception {
        MailMessage m = parse("Message-ID: <m@x>\nFrom: \"Smith, John\" <John.Smith@Client.Example>\n"
                + "Sender: Sales <SALES@acme.example>\nReply-To: a@x.example, \"B (b)\" <B@x.example>\n"
                + "To: =?UTF-8?Q?M=C3=BCller=2C_Hans?= <hans@x.example>, plain@x.example (comment)\n"
                + "Cc: 'quoted' <q@x.example>\n");
        assertEquals(List.of("john.smith@client.example"), m.from());
        assertEquals("sales@acme.example", m.sender());
        assertEquals(List.of("a@x.example", "b@x.example"), m.replyTo());
        assertEquals(List.of("hans@x.example", "plain@x.example"), m.to());
        assertEquals(List.of("q@x.example"), m.cc());
    }

    @Test
    void groupSyntax() throws Exception {
        MailMessage m = parse("Message-ID: <m@x>\nTo: Team: a@x.example, B <b@x.example>;, c@x.example\n"
                + "Cc: undisclosed-recipients:;\n");
        assertEquals(List.of("a@x.example", "b@x.example", "c@x.example"), m.to());
        assertEquals(List.of(), m.cc());
    }

    @Test
    void emptyFromHasNoAddress() throws Exception {
        assertEquals(List.of(), parse("Message-ID: <m@x>\nFrom: <>\n").from());
        assertEquals(List.of(), parse("Message-ID: <m@x>\nFrom: MAILER-DAEMON <>\n").from());
        assertNull(parse("Message-ID: <m@x>\nFrom: <>\n").firstFrom());
    }

    @Test
    void loneLocalWordIsAnAddress() throws Exception {
        assertEquals(List.of("mailer-daemon"), parse("Message-ID: <m@x>\nFrom: MAILER-DAEMON\n").from());
    }

    @Test
    void malformedListsKeepWhatCanBeRead() throws Exception {
        MailMessage m = parse("Message-ID: <m@x>\nFrom: Smith, John <j@x.example>\n"
                + "To: \"unterminated <a@x.example>, <b@x.example\nCc: ,,, <c@x.example>, ((nested) comment) d@x.example\n");
        assertEquals(List.of("j@x.example"), m.from());
        assertEquals(List.of("c@x.example", "d@x.example"), m.cc());
        // an unterminated quote swallows the rest of the header; it must not throw
        assertTrue(m.to().size() <= 2);
    }

    @Test
    void sourceRouteIsDropped() throws Exception {
        assertEquals(List.of("u@c.example"), parse("Message-ID: <m@x>\nTo: <@a.example,@b.example:U@C.example>\n").to());
    }

    // ---- time

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Fri, 1 Mar 2024 10:00:00 +0100|2024-03-01T09:00:00Z",
        "1 Mar 2024 10:00:00 +0100|2024-03-01T09:00:00Z",
        "Fri, 01 Mar 2024 10:00 +0100|2024-03-01T09:00:00Z",
        "Fri, 1 Mar 2024 10:00:00 -0000|2024-03-01T10:00:00Z",
        "Fri, 1 Mar 2024 10:00:00|2024-03-01T10:00:00Z",
        "Fri, 1 Mar 2024 10:00:00 XYZT|2024-03-01T10:00:00Z",
        "Fri, 1 Mar 24 10:00:00 GMT|2024-03-01T10:00:00Z",
        "Sun, 1 Mar 98 10:00:00 UT|1998-03-01T10:00:00Z",
        "Thu, 22 Aug 2002 08:17:21 -0400 (EDT)|2002-08-22T12:17:21Z",
        "Thu, 22 Aug 2002 08:17:21 EDT|2002-08-22T12:17:21Z",
        "Thu, 22 Aug 2002 08:17:21 EST|2002-08-22T13:17:21Z",
        "Thu, 22 Aug 2002 08:17:21 CDT|2002-08-22T13:17:21Z",
        "Thu, 22 Aug 2002 08:17:21 CST|2002-08-22T14:17:21Z",
        "Thu, 22 Aug 2002 08:17:21 MDT|2002-08-22T14:17:21Z",
        "Thu, 22 Aug 2002 08:17:21 MST|2002-08-22T15:17:21Z",
        "Thu, 22 Aug 2002 08:17:21 PDT|2002-08-22T15:17:21Z",
        "Thu, 22 Aug 2002 08:17:21 PST|2002-08-22T16:17:21Z",
        "Thu Aug 22 13:17:22 2002|2002-08-22T13:17:22Z",
        "Thu, 22 Aug 2002 13:17:22 GMT+0100|2002-08-22T12:17:22Z",
        "Thu, 22 Aug 2002 13:17:22 +0200 GMT|2002-08-22T11:17:22Z",
        "Thursday, 22 August 2002 13:17:22 +0200|2002-08-22T11:17:22Z",
        "Thu, 29 Feb 2024 23:59:60 +0000|2024-02-29T23:59:59Z",
    })
    void dates(String date, String instant) throws Exception {
        assertEquals(Instant.parse(instant), parse("Message-ID: <m@x>\nDate: " + date + "\n").eventTime());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Fri, 1 Mar 2250 10:00:00 +0000", "30 Feb 2024 10:00:00 +0000",
        "garbage", "Fri, 1 Mar 1899 10:00:00 +0000", "Fri, 1 Mar 2024", "''"})
    void unparseableDatesAreUndatedWithoutReceived(String date) throws Exception {
        assertNull(parse("Message-ID: <m@x>\nDate: " + date + "\n").eventTime());
    }

    @Test
    void year2250FallsBackToNewestReceived() throws Exception {
        MailMessage m = parse("Received: from a by b; Thu, 29 Feb 2024 14:02:09 +0100\n"
                + "Received: from c by d\n for <x@y>; Thu, 29 Feb 2024 14:02:11 +0100\n"
                + "Received: from e by f; Thu, 29 Feb 2024 13:00:00 +0100\n"
                + "Message-ID: <m@x>\nDate: Thu, 29 Feb 2250 10:00:00 +0100\n");
        assertEquals(Instant.parse("2024-02-29T13:02:11Z"), m.eventTime());
    }

    @Test
    void receivedDateIsAfterTheLastSemicolon() throws Exception {
        MailMessage m = parse("Received: from x\n for neko@example.jp;e0ff9c6a; Thu, 29 Apr 2012 23:34:45 +0000\n");
        assertEquals(Instant.parse("2012-04-29T23:34:45Z"), m.eventTime());
    }

    @Test
    void serverTimeOverridesDate() throws Exception {
        Instant server = Instant.parse("2024-03-02T00:00:00Z");
        MailMessage m = parser.parse("Message-ID: <m@x>\r\nDate: Fri, 1 Mar 2024 10:00:00 +0100\r\n"
                .getBytes(StandardCharsets.US_ASCII), INBOX, server);
        assertEquals(server, m.eventTime());
    }

    @Test
    void noDateNoReceivedIsUndated() throws Exception {
        assertNull(parse("Message-ID: <m@x>\nFrom: a@x\n").eventTime());
    }

    // ---- Thread-Index

    @Test
    void threadIndexRoot() throws Exception {
        byte[] b27 = new byte[27];
        for (int k = 0; k < b27.length; k++) {
            b27[k] = (byte) (k * 7 + 1);
        }
        String b64 = Base64.getEncoder().encodeToString(b27);
        String hex22 = HexFormat.of().formatHex(b27, 0, 22);
        String folded = b64.substring(0, 10) + "\n " + b64.substring(10);
        assertEquals(hex22, parse("Message-ID: <m@x>\nThread-Index: " + folded + "\n").threadIndexRoot());
        byte[] b22 = java.util.Arrays.copyOf(b27, 22);
        assertEquals(hex22, parse("Message-ID: <m@x>\nThread-Index: "
                + Base64.getEncoder().encodeToString(b22) + "\n").threadIndexRoot());
        byte[] b21 = java.util.Arrays.copyOf(b27, 21);
        assertNull(parse("Message-ID: <m@x>\nThread-Index: " + Base64.getEncoder().encodeToString(b21) + "\n")
                .threadIndexRoot());
        assertNull(parse("Message-ID: <m@x>\nThread-Index: " + b64.substring(1) + "\n").threadIndexRoot(),
                "length not a multiple of 4");
        assertNull(parse("Message-ID: <m@x>\nThread-Index: " + b64.replace(b64.charAt(3), '*') + "\n")
                .threadIndexRoot(), "invalid character");
        assertNull(parse("Message-ID: <m@x>\nThread-Index: " + Base64.getEncoder().withoutPadding()
                .encodeToString(java.util.Arrays.copyOf(b27, 23)) + "\n").threadIndexRoot(), "padding missing");
        assertNull(parse("Message-ID: <m@x>\n").threadIndexRoot());
    }

    // ---- automation signs

    private int signs(String headers) throws Exception {
        return parse("Message-ID: <m@x>\n" + headers).automationSigns();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Auto-Submitted: auto-replied|AUTO_SUBMITTED",
        "Auto-Submitted: auto-generated; type=bounce|AUTO_SUBMITTED",
        "Auto-Submitted:|AUTO_SUBMITTED",
        "X-Autoreply: yes|X_AUTOREPLY",
        "X-Autorespond: anything|X_AUTORESPOND",
        "X-Failed-Recipients: x@y|X_FAILED_RECIPIENTS",
        "X-Auto-Response-Suppress: All|X_AUTO_RESPONSE_SUPPRESS",
        "X-Auto-Response-Suppress: DR, oof|X_AUTO_RESPONSE_SUPPRESS",
        "X-Auto-Response-Suppress: DR RN AUTOREPLY|X_AUTO_RESPONSE_SUPPRESS",
        "Precedence: bulk|PRECEDENCE",
        "Precedence: JUNK|PRECEDENCE",
        "Precedence: list|PRECEDENCE",
        "Precedence: auto_reply|PRECEDENCE",
        "List-Id: <sales.acme.example>|LIST_ID",
        "Content-Type: multipart/report; report-type=delivery-status|MULTIPART_REPORT",
        "Content-Type: Multipart/Report|MULTIPART_REPORT",
        "Return-Path: <>|NULL_RETURN_PATH",
        "Return-Path: < >|NULL_RETURN_PATH",
        "Subject: Automatic reply: hello|AUTOMATED_SUBJECT",
        "Subject:   AUTO REPLY|AUTOMATED_SUBJECT",
        "Subject: Auto-Reply: x|AUTOMATED_SUBJECT",
        "Subject: Autoreplying|AUTOMATED_SUBJECT",
        "Subject: Out of Office|AUTOMATED_SUBJECT",
        "Subject: Abwesenheitsnotiz: x|AUTOMATED_SUBJECT",
        "Subject: =?UTF-8?Q?R=C3=A9ponse_automatique?=|AUTOMATED_SUBJECT",
        "Subject: Undeliverable: x|AUTOMATED_SUBJECT",
        "Subject: Undelivered Mail Returned to Sender|AUTOMATED_SUBJECT",
        "Subject: Delivery Status Notification (Failure)|AUTOMATED_SUBJECT",
        "Subject: Mail delivery failed: returning message|AUTOMATED_SUBJECT",
        "Subject: Returned mail: see transcript|AUTOMATED_SUBJECT",
    })
    void automationSign(String header, AutomationSign sign) throws Exception {
        assertEquals(sign.bit(), signs(header + "\n"), header);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Auto-Submitted: no", "Auto-Submitted: No; comment", "X-Auto-Response-Suppress: DR, RN",
        "Precedence: first-class", "Content-Type: multipart/mixed; boundary=x", "Return-Path: <a@x.example>",
        "Subject: Re: Automatic reply", "Subject: Fwd: Returned mail: see transcript", "Subject: Outstanding offer",
    })
    void notAnAutomationSign(String header) throws Exception {
        assertEquals(0, signs(header + "\n"), header);
    }

    @Test
    void severalSignsAccumulate() throws Exception {
        int s = signs("Auto-Submitted: auto-replied\nPrecedence: bulk\nList-Id: x\n");
        assertTrue(AutomationSign.AUTO_SUBMITTED.in(s) && AutomationSign.PRECEDENCE.in(s) && AutomationSign.LIST_ID.in(s));
        assertFalse(AutomationSign.X_AUTOREPLY.in(s));
    }

    // ---- attribution

    @Test
    void attributionHeaderIsTrimmedAndCaseInsensitive() throws Exception {
        assertEquals("alice", parse("Message-ID: <m@x>\nx-replyclock-rep:   alice  \n").attribution());
        assertNull(parse("Message-ID: <m@x>\nX-Replyclock-Rep:   \n").attribution());
        assertNull(parse("Message-ID: <m@x>\n").attribution());
        assertEquals("bob", new HeaderParser("X-Sales-Rep").parse(
                "Message-ID: <m@x>\r\nX-Sales-Rep: bob\r\n".getBytes(StandardCharsets.US_ASCII), INBOX, null).attribution());
    }

    @Test
    void placeAndEmptyDefaults() throws Exception {
        MailMessage m = parse("Message-ID: <m@x>\n");
        assertEquals(List.of(INBOX), m.places());
        assertEquals("", m.subject());
        assertEquals(List.of(), m.references());
        assertNull(m.sender());
        assertNull(m.conversationHint());
    }

    // ---- readHeaderBlock

    @Test
    void readHeaderBlockStopsAtTheBlankLine() throws Exception {
        byte[] lf = HeaderParser.readHeaderBlock(new ByteArrayInputStream("A: 1\nB: 2\n\nbody\n".getBytes()));
        assertEquals("A: 1\nB: 2\n", new String(lf));
        byte[] crlf = HeaderParser.readHeaderBlock(new ByteArrayInputStream("A: 1\r\nB: 2\r\n\r\nbody".getBytes()));
        assertEquals("A: 1\r\nB: 2\r\n", new String(crlf));
        byte[] none = HeaderParser.readHeaderBlock(new ByteArrayInputStream("A: 1".getBytes()));
        assertEquals("A: 1", new String(none));
        assertEquals(0, HeaderParser.readHeaderBlock(new ByteArrayInputStream("\nbody".getBytes())).length);
    }

    @Test
    void readHeaderBlockNeverReadsPastTheCap() throws Exception {
        byte[] big = new byte[3 * HeaderParser.MAX_HEADER_BYTES];
        java.util.Arrays.fill(big, (byte) 'x');
        assertEquals(HeaderParser.MAX_HEADER_BYTES, HeaderParser.readHeaderBlock(new ByteArrayInputStream(big)).length);
    }
}
