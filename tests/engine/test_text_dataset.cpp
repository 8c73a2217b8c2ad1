// The text dataset (character sequences for next-character prediction), the synthetic sines
// series, the unigram baseline, and their settings through the schema and the project file.
#include <QtTest>
#include <fstream>
#include <set>

#include "engine/data/dataset.h"
#include "engine/data/sines.h"
#include "engine/data/text_reader.h"
#include "engine/data/unigram_baseline.h"
#include "engine/io/project_io.h"
#include "engine/settings/settings.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::errorOf;

namespace {

std::string writeFile(const std::string& name, const std::string& bytes) {
    const std::string path = netloom::test::tempDir().toStdString() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::vector<int32_t> tokensOf(const Dataset& d, int64_t i) {
    const int64_t t = d.sampleShape.elements();
    return {d.tokens.begin() + i * t, d.tokens.begin() + (i + 1) * t};
}
std::vector<int32_t> targetsOf(const Dataset& d, int64_t i) {
    std::vector<int32_t> out;
    for (int64_t k = 0; k < d.targetSize; ++k)
        out.push_back(static_cast<int32_t>(d.targets[static_cast<size_t>(i * d.targetSize + k)]));
    return out;
}

}  // namespace

class TestTextDataset : public QObject {
    Q_OBJECT
private slots:
    void vocabularyAndEncoding() {
        const std::string path = writeFile("abc.txt", "ab\nba\n\ncab\n");
        const Dataset d = readTextDataset(path, {4, 64});
        QCOMPARE(d.name, std::string("abc.txt"));
        QCOMPARE(d.count, int64_t{3});  // the blank line is no sample
        const std::vector<std::string> vocab = {"<pad>", "<s>", "</s>", "a", "b", "c"};
        QCOMPARE(d.vocabulary, vocab);
        QCOMPARE(d.vocabularySize, int64_t{6});
        QCOMPARE(d.sampleShape, Shape{5});  // longest line 4 + the start token
        QCOMPARE(d.targetSize, int64_t{5});
        // "cab": input <s> c a b <pad>, target c a b </s> <pad>.
        QCOMPARE(tokensOf(d, 2), (std::vector<int32_t>{1, 5, 3, 4, 0}));
        QCOMPARE(targetsOf(d, 2), (std::vector<int32_t>{5, 3, 4, 2, 0}));
        QCOMPARE(tokensOf(d, 0), (std::vector<int32_t>{1, 3, 4, 0, 0}));
        QCOMPARE(targetsOf(d, 0), (std::vector<int32_t>{3, 4, 2, 0, 0}));
        // A batch: ids as floats {n, T}, targets {n, T}.
        Tensor x, y;
        const int64_t idx[] = {2};
        d.fillBatch(idx, 1, x, &y);
        QCOMPARE(x.dims(), (std::vector<int64_t>{1, 5}));
        QCOMPARE(x[1], 5.0f);
        QCOMPARE(y[3], 2.0f);
    }

    void unicodeCrlfAndBom() {
        const Dataset d = parseTextDataset(
            "\xEF\xBB\xBF"
            "caf\xC3\xA9\r\n\xC3\xA9t\xC3\xA9\r\n",
            "mem", {8, 64});
        QCOMPARE(d.count, int64_t{2});
        // é is one token; \r and the byte order mark are not characters of the text.
        const std::vector<std::string> vocab = {"<pad>", "<s>", "</s>", "a",
                                                "c",     "f",   "t",    "\xC3\xA9"};
        QCOMPARE(d.vocabulary, vocab);
        QCOMPARE(targetsOf(d, 0), (std::vector<int32_t>{4, 3, 5, 7, 2, 0, 0, 0, 0}));
        QCOMPARE(encodeText("t\xC3\xA9", d.vocabulary), (std::vector<int32_t>{6, 7}));
        QVERIFY(errorOf([&] { encodeText("x", d.vocabulary); }).contains("'x' is not in the"));
    }

    void refusals_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qlonglong>("maxLine");
        QTest::addColumn<qlonglong>("maxVocabulary");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QByteArray() << 32LL << 256LL << "bad.txt is empty";
        QTest::newRow("blank lines only") << QByteArray("\n\r\n\n") << 32LL << 256LL
                                          << "bad.txt has no text: every line is blank";
        QTest::newRow("binary") << QByteArray("ab\ncd\x00\x01", 7) << 32LL << 256LL
                                << "bad.txt looks like a binary file, not text: it has a NUL "
                                   "byte at byte offset 5 (line 2)";
        QTest::newRow("invalid utf-8") << QByteArray("ok\nb\xFFy\n") << 32LL << 256LL
                                       << "bad.txt line 2 is not valid UTF-8 text (bad byte 0xff "
                                          "at byte offset 1)";
        QTest::newRow("truncated utf-8")
            << QByteArray("ok\ncaf\xC3") << 32LL << 256LL << "bad.txt line 2 is not valid UTF-8";
        QTest::newRow("huge line")
            << QByteArray("short\n" + QByteArray(40, 'x') + "\nok\n") << 32LL << 256LL
            << "bad.txt line 2 has 40 characters, over the limit of 32 "
               "per line (the setting dataset.text_max_line";
        QTest::newRow("vocabulary limit")
            << QByteArray("abcdefgh\n") << 32LL << 10LL
            << "bad.txt has 8 distinct characters: with the 3 special tokens that is a "
               "vocabulary of 11, over the limit of 10 (the setting "
               "dataset.text_max_vocabulary)";
    }
    void refusals() {
        QFETCH(QByteArray, bytes);
        QFETCH(qlonglong, maxLine);
        QFETCH(qlonglong, maxVocabulary);
        QFETCH(QString, expected);
        const std::string path = writeFile("bad.txt", bytes.toStdString());
        const QString message = errorOf([&] { readTextDataset(path, {maxLine, maxVocabulary}); });
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void vocabularyAtTheLimitIsAccepted() {
        const Dataset d = parseTextDataset("abcdefg\n", "mem", {32, 10});
        QCOMPARE(d.vocabularySize, int64_t{10});
    }

    void missingFile() {
        QVERIFY(errorOf([] {
                    readTextDataset("/nonexistent/words.txt", {});
                }).contains("cannot open text file /nonexistent/words.txt"));
        QVERIFY(errorOf([] { readTextDataset("", {}); }).contains("dataset.text_path"));
    }

    void splitsThroughLoadData() {
        std::string text;
        for (int i = 0; i < 200; ++i) text += "w" + std::to_string(i) + "\n";
        DatasetConfig c;
        c.kind = "text";
        c.textPath = writeFile("lines.txt", text);
        c.textMaxLine = 8;
        c.testFraction = 0.25;
        const DataSplit s = loadData(c, 0.2, 7);
        QCOMPARE(s.test.count, int64_t{50});
        QCOMPARE(s.validation.count, int64_t{30});
        QCOMPARE(s.train.count, int64_t{120});
        // Every part keeps the vocabulary, and no line is in two parts.
        std::set<std::vector<int32_t>> seen;
        for (const Dataset* d : {&s.train, &s.validation, &s.test}) {
            QCOMPARE(d->vocabulary, s.train.vocabulary);
            QCOMPARE(d->vocabularySize, int64_t{14});  // 3 special + w and 0-9
            for (int64_t i = 0; i < d->count; ++i) QVERIFY(seen.insert(tokensOf(*d, i)).second);
        }
        QCOMPARE(seen.size(), size_t{200});
        // The same seed splits the same way.
        QCOMPARE(loadData(c, 0.2, 7).test.tokens, s.test.tokens);
        QVERIFY(loadData(c, 0.2, 8).test.tokens != s.test.tokens);
    }

    void unigramBaseline() {
        // Targets a a </s> and b </s>: counts a 2, b 1, </s> 2, add-one over {</s>, a, b}.
        const Dataset train = parseTextDataset("aa\nb\n", "train", {4, 16});
        const Dataset eval = parseTextDataset("ab\n", "eval", {4, 16});
        // Smoothed: a 3/8, b 2/8, </s> 3/8; eval targets a b </s>.
        const double expected =
            std::exp(-(std::log(3.0 / 8) + std::log(2.0 / 8) + std::log(3.0 / 8)) / 3);
        QVERIFY(std::abs(unigramPerplexity(train, eval) - expected) < 1e-9);
        Dataset other = parseTextDataset("xyz\n", "other", {4, 16});
        QVERIFY(errorOf([&] { unigramPerplexity(train, other); }).contains("same vocabulary"));
    }

    void sines() {
        SinesOptions o;
        o.samples = 50;
        o.window = 16;
        o.horizon = 3;
        o.noise = 0.0;
        const Dataset d = makeSines(o, 5);
        QCOMPARE(d.count, int64_t{50});
        QCOMPARE(d.sampleShape, Shape::sequenceOf({16, 1}));
        QCOMPARE(d.targetSize, int64_t{3});
        QCOMPARE(d.features.size(), size_t{50 * 16});
        QCOMPARE(d.targets.size(), size_t{50 * 3});
        // The first sample is the start of the series sinesSeries draws with the same seed, and
        // its targets are the three values after the window.
        const std::vector<float> series = sinesSeries(19, 0.0, 5);
        for (int t = 0; t < 16; ++t) QCOMPARE(d.features[size_t(t)], series[size_t(t)]);
        for (int t = 0; t < 3; ++t) QCOMPARE(d.targets[size_t(t)], series[size_t(16 + t)]);
        // Without noise every value is a sum of two sines of amplitude ≤ 0.8, and the series is
        // smooth (w ≤ 0.6 rad per step bounds a step's change by 2 · 0.8 · 0.6).
        for (size_t i = 0; i < d.features.size(); ++i) QVERIFY(std::abs(d.features[i]) <= 1.6f);
        for (int t = 1; t < 19; ++t) QVERIFY(std::abs(series[t] - series[t - 1]) <= 0.961f);
        // Samples are different series; the seed decides them.
        QVERIFY(d.features[0] != d.features[16] || d.features[1] != d.features[17]);
        QCOMPARE(makeSines(o, 5).features, d.features);
        QVERIFY(makeSines(o, 6).features != d.features);
        // Noise: the same draws plus Gaussian noise of the asked spread.
        o.noise = 0.1;
        o.samples = 2000;
        const Dataset noisy = makeSines(o, 5);
        QVERIFY(noisy.features != makeSines({2000, 16, 3, 0.0}, 5).features);
        o.window = 1;
        QVERIFY(errorOf([&] { makeSines(o, 1); }).contains("window must be between 2 and 4096"));
        o.window = 16;
        o.noise = -1;
        QVERIFY(errorOf([&] { makeSines(o, 1); }).contains("noise must be between 0 and 100"));
    }

    void sinesThroughLoadData() {
        DatasetConfig c;
        c.kind = "sines";
        c.syntheticSamples = 100;
        c.sinesWindow = 20;
        c.sinesHorizon = 2;
        c.testFraction = 0.1;
        const DataSplit s = loadData(c, 0.0, 1);
        QCOMPARE(s.train.count + s.test.count, int64_t{100});
        QCOMPARE(s.train.sampleShape, Shape::sequenceOf({20, 1}));
        QCOMPARE(s.test.targetSize, int64_t{2});
    }

    // The new settings are in the one schema: --set names, validation with the name, and the
    // project file keeps them.
    void settingsRoundTrip() {
        TrainingConfig c;
        setSettingFromText(c, *findSetting("dataset.kind"), "text");
        setSettingFromText(c, *findSetting("dataset.text_path"), "/usr/share/dict/words");
        setSettingFromText(c, *findSetting("dataset.text_max_line"), "24");
        setSettingFromText(c, *findSetting("dataset.text_max_vocabulary"), "100");
        QCOMPARE(c.dataset.textMaxLine, int64_t{24});
        QVERIFY(errorOf([&] {
                    setSettingFromText(c, *findSetting("dataset.text_max_line"), "2000");
                }).contains("dataset.text_max_line must be between 1 and 1024, got 2000"));
        QVERIFY(findSetting("dataset.text_path")->appliesTo(c));
        QVERIFY(!findSetting("dataset.sines_window")->appliesTo(c));

        Project p;
        p.name = "text";
        p.training = c;
        Network n;
        n.graph.addNode({"in", "Input", "x", {}});
        p.networks.push_back(n);
        Project back = parseProject(serializeProject(p), "mem");
        QCOMPARE(back.training.dataset, c.dataset);

        c.dataset.kind = "sines";
        c.dataset.sinesWindow = 48;
        c.dataset.sinesHorizon = 4;
        p.training = c;
        back = parseProject(serializeProject(p), "mem");
        QCOMPARE(back.training.dataset.sinesWindow, int64_t{48});
        QCOMPARE(back.training.dataset.sinesHorizon, int64_t{4});
        QVERIFY(dataKey(c).find("dataset.sines_window=2:48") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestTextDataset)
#include "test_text_dataset.moc"
