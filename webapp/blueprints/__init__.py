from flask import Flask


def register_blueprints(app: Flask) -> None:
    from .admin.routes import bp as admin_bp
    from .annual_report.routes import bp as annual_report_bp
    from .applications.routes import bp as applications_bp
    from .approval.routes import bp as approval_bp
    from .auth.routes import bp as auth_bp
    from .catalogue.routes import bp as catalogue_bp
    from .drafting.routes import bp as drafting_bp
    from .issuing.routes import bp as issuing_bp
    from .main.routes import bp as main_bp
    from .publishing.routes import bp as publishing_bp
    from .review.routes import bp as review_bp
    from .transfers.routes import bp as transfers_bp

    for bp in (main_bp, auth_bp, drafting_bp, review_bp, approval_bp, issuing_bp, publishing_bp, admin_bp,
               catalogue_bp, transfers_bp, applications_bp, annual_report_bp):
        app.register_blueprint(bp)
