#include <QtTest>

#include "engine/core/error.h"
#include "engine/core/shape.h"

using namespace netloom::engine;

class TestShape : public QObject {
    Q_OBJECT
private slots:
    void parsesGoodShapes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("commas") << "1,28,28" << "1x28x28";
        QTest::newRow("x") << "64x7x7" << "64x7x7";
        QTest::newRow("spaces") << " 10 " << "10";
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
    }
    void rejectsBadShapes() {
        QFETCH(QString, text);
        QVERIFY_THROWS_EXCEPTION(netloom::Error, parseShape(text.toStdString()));
    }
    void countsElements() { QCOMPARE(Shape({64, 7, 7}).elements(), 3136); }
};

QTEST_GUILESS_MAIN(TestShape)
#include "test_shape.moc"
