// The picture grid of the autoencoder and GAN views: value mapping, layout, PNG round trip and
// a clear error when the file cannot be written.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <limits>

#include "engine/core/error.h"
#include "test_helpers.h"
#include "ui/widgets/image_grid.h"

using namespace netloom::ui;

class TestImageGrid : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { netloom::test::isolateSettings(); }

    void valuesMapToGreyLevels() {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float v[6] = {-1.0f, 0.0f, 1.0f, 2.0f, nan, 0.5f};
        const QImage img = ImageGrid::fromValues(v, 3, 2, -1.0f, 1.0f);
        QCOMPARE(img.size(), QSize(3, 2));
        QCOMPARE(qGray(img.pixel(0, 0)), 0);    // lo → black
        QCOMPARE(qGray(img.pixel(1, 0)), 127);  // middle
        QCOMPARE(qGray(img.pixel(2, 0)), 255);  // hi → white
        QCOMPARE(qGray(img.pixel(0, 1)), 255);  // above hi clamps
        QCOMPARE(qGray(img.pixel(1, 1)), 0);    // NaN shows black, no UB
        QCOMPARE(qGray(img.pixel(2, 1)), 191);
    }

    void rendersEveryTileAndSavesPng() {
        ImageGrid grid;
        grid.setColumns(4);
        std::vector<QImage> images;
        for (int i = 0; i < 6; ++i) {
            std::vector<float> v(28 * 28, i / 5.0f);
            images.push_back(ImageGrid::fromValues(v.data(), 28, 28));
        }
        grid.setImages(images, {"a", "b", "c", "d", "e", "f"});
        QCOMPARE(grid.captions().size(), 6);
        const QImage out = grid.render(28);
        // 4 columns × 2 rows of 30-pixel cells (plus captions) and an 8-pixel margin.
        QCOMPARE(out.width(), 4 * 30 + 8);
        QCOMPARE(out.height(), 2 * (30 + 16) + 8);
        // The first tile is black (value 0), the sixth white-ish: the images really are drawn.
        QCOMPARE(qGray(out.pixel(4 + 15, 4 + 15)), 0);
        QVERIFY(qGray(out.pixel(4 + 30 + 15, 4 + 46 + 15)) > 240);

        QTemporaryDir dir;
        const QString path = dir.filePath("grid.png");
        grid.savePng(path, 28);
        QImage back(path);
        QCOMPARE(back.size(), out.size());
        QCOMPARE(back.convertToFormat(QImage::Format_RGB32), out);
    }

    void captionsOfTheWrongCountAreDropped() {
        ImageGrid grid;
        std::vector<QImage> images(3, QImage(4, 4, QImage::Format_Grayscale8));
        grid.setImages(images, {"only one"});
        QVERIFY(grid.captions().isEmpty());
    }

    void savingNothingOrToABadPathSaysWhy() {
        ImageGrid grid;
        try {
            grid.savePng("/tmp/never.png");
            QFAIL("an empty grid was saved");
        } catch (const netloom::Error& e) {
            QVERIFY(QString(e.what()).contains("no picture"));
        }
        grid.setImages({QImage(4, 4, QImage::Format_Grayscale8)});
        try {
            grid.savePng("/nonexistent-dir/grid.png");
            QFAIL("saving into a missing folder succeeded");
        } catch (const netloom::Error& e) {
            QVERIFY(QString(e.what()).contains("/nonexistent-dir/grid.png"));
        }
    }
};

QTEST_MAIN(TestImageGrid)
#include "test_image_grid.moc"
