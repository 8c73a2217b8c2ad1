#include "ui/commands/import_weights_command.h"

#include <QFileInfo>

#include "engine/core/error.h"
#include "engine/export/pytorch_import.h"

namespace netloom::ui {

ImportWeightsCommand::ImportWeightsCommand(GraphDocument* doc,
                                           std::vector<engine::WeightSet> weights,
                                           const QString& fileName)
    : m_doc(doc), m_new(std::move(weights)) {
    for (const engine::Network& n : doc->project().networks) m_old.push_back(n.weights);
    setText(QObject::tr("Import weights from %1").arg(fileName));
}

QString importWeightsInto(GraphDocument* doc, const QString& path) {
    std::map<std::string, engine::WeightSet> byRole;
    try {
        byRole = engine::readPyTorchWeights(doc->project(), path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    std::vector<engine::WeightSet> weights;
    for (const engine::Network& n : doc->project().networks) {
        // A single-network task names its network "model" whatever the stored role says.
        const bool single = doc->project().networks.size() == 1;
        auto it = byRole.find(single ? "model" : n.role);
        weights.push_back(it != byRole.end() ? it->second : n.weights);
    }
    doc->undoStack()->push(
        new ImportWeightsCommand(doc, std::move(weights), QFileInfo(path).fileName()));
    return {};
}

}  // namespace netloom::ui
