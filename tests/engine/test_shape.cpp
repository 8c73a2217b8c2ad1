#include <QtTest>

#include "engine/core/error.h"
#include "engine/core/shape.h"
#include "support/test_support.h"

using namespace netloom::engine;

class TestShape : public QObject {
    Q_OBJECT
private slots:
    void parsesGoodShapes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("commas") << "1,28,28"
                                << "1x28x28";
        QTest::newRow("x") << "64x7x7"
                           << "64x7x7";
        QTest::newRow("spaces") << " 10 "
                                << "10";
        QTest::newRow("sequence") << "28x28 (seq)"
                                  << "28x28 (seq)";
        QTest::newRow("sequence, commas") << "4,3(seq)"
                                          << "4x3 (seq)";
    }
    void parsesGoodShapes() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(parseShape(text.toStdString()).toAsciiString()), expected);
    }
    void rejectsBadShapes_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("zero") << "1,0,28";
        QTest::newRow("negative") << "-3";
        QTest::newRow("word") << "abc";
        QTest::newRow("trailing comma") << "1,28,";
        QTest::newRow("too many") << "1,2,3,4,5";
        QTest::newRow("mark in the middle") << "4 (seq) x3";
        QTest::newRow("mark alone") << "(seq)";
    }
    void rejectsBadShapes() {
        QFETCH(QString, text);
        QVERIFY_THROWS_EXCEPTION(netloom::Error, parseShape(text.toStdString()));
    }
    // Each mistake is named for what it is: a letter where a dimension should be is "not a
    // number" (it used to read as an empty dimension when the letter was an x).
    void namesTheMistake_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("x as a dimension") << "1,28,x"
                                          << "\"x\" is not a number";
        QTest::newRow("X first") << "X,28"
                                 << "\"X\" is not a number";
        QTest::newRow("trailing x") << "28x"
                                    << "\"28x\" is not a number";
        QTest::newRow("letter") << "1,a,28"
                                << "\"a\" is not a number";
        QTest::newRow("zero") << "1,0,28"
                              << "\"0\" is not a positive whole number";
        QTest::newRow("empty") << "1,,28"
                               << "has an empty dimension";
    }
    void namesTheMistake() {
        QFETCH(QString, text);
        QFETCH(QString, says);
        const QString message = netloom::test::errorOf([&] { parseShape(text.toStdString()); });
        QVERIFY2(message.contains(says), qPrintable(message));
    }
    void countsElements() { QCOMPARE(Shape({64, 7, 7}).elements(), 3136); }
    // A sequence axis is part of the shape: shown, compared, and not a different element count.
    void marksASequenceAxis() {
        const Shape seq = Shape::sequenceOf({28, 28});
        QVERIFY(seq.sequence);
        QCOMPARE(QString::fromStdString(seq.toString()), QString("28\u00d728 (seq)"));
        QCOMPARE(seq.elements(), int64_t{784});
        QVERIFY(seq != (Shape{28, 28}));
        QVERIFY(!(Shape{28, 28}).sequence);
    }
};

QTEST_GUILESS_MAIN(TestShape)
#include "test_shape.moc"
